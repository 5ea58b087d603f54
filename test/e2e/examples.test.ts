import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation";
import { pushBaseImageFixture } from "../../cli/baseImage";
import { openStack } from "../../cli/stack";
import { RegistryClient } from "../../provider";
import { repoRoot } from "../support/paths";
import { startTestRegistry, type TestRegistry } from "../support/registryServer";

/** The library example, run as its own Pulumi project through the Automation API. */
describe("examples/library", { timeout: 600_000 }, () => {
    let registry: TestRegistry;
    let stack: Stack;
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-example-"));
    const projectDir = path.join(repoRoot, "examples", "library");
    const compiled = path.join(repoRoot, "dist", "examples", "library", "index.js");

    before(async () => {
        registry = await startTestRegistry();
        const baseImage = pushBaseImageFixture(registry.address);
        // The example keeps GoReleaser's default base, which cannot be reached here, so the fixture replaces it.
        process.env.KOS_EXAMPLE_BASE_IMAGE = baseImage;
        const program = async () => {
            delete require.cache[compiled];
            return require(compiled) as Record<string, unknown>;
        };
        stack = await openStack({ projectDir, stackName: "example", program, backendUrl: `file://${backendDir}`, config: { repository: `${registry.address}/library` } });
    });
    after(async () => {
        await stack?.workspace.removeStack("example", { force: true }).catch(() => undefined);
        fs.rmSync(path.join(projectDir, "Pulumi.example.yaml"), { force: true });
        fs.rmSync(backendDir, { recursive: true, force: true });
        await registry?.stop();
    });

    it("wires the digest into the Deployment", async () => {
        const result = await stack.up();
        const imageRef = result.outputs.imageRef.value as string;
        assert.match(imageRef, new RegExp(`^${registry.address}/library@sha256:[0-9a-f]{64}$`));
        assert.equal((await new RegistryClient({ env: {} }).getManifest(imageRef)).digest, imageRef.split("@")[1]);

        const deployment = result.outputs.deployment.value as { spec: { template: { spec: { containers: { image: string }[] } } } };
        assert.equal(deployment.spec.template.spec.containers[0].image, imageRef);
        assert.deepEqual(Object.keys(result.outputs.platformDigests.value as Record<string, string>).sort(), ["linux/amd64", "linux/arm64"]);
    });
});
