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

/**
 * The library used as an installed package: a project whose node_modules contains a copy of this
 * package's compiled code, laid out as npm installs it. The serialized provider must then load
 * its implementation from there and not from this repository.
 */
describe("installed package", { timeout: 600_000 }, () => {
    let registry: TestRegistry;
    let projectDir: string;
    let stack: Stack;
    const originalCwd = process.cwd();

    before(async () => {
        registry = await startTestRegistry();
        projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-installed-"));
        fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: installed\nruntime: nodejs\n");
        fs.cpSync(path.join(repoRoot, "examples", "hello"), path.join(projectDir, "app"), { recursive: true });

        // npm's layout: the package in node_modules/pulumi-kos, its dependencies beside it.
        const modules = path.join(projectDir, "node_modules");
        fs.mkdirSync(path.join(modules, "pulumi-kos"), { recursive: true });
        fs.cpSync(path.join(repoRoot, "dist"), path.join(modules, "pulumi-kos", "dist"), { recursive: true });
        fs.copyFileSync(path.join(repoRoot, "package.json"), path.join(modules, "pulumi-kos", "package.json"));
        for (const entry of fs.readdirSync(path.join(repoRoot, "node_modules"))) {
            if (entry !== ".bin" && !entry.startsWith(".")) fs.symlinkSync(path.join(repoRoot, "node_modules", entry), path.join(modules, entry));
        }
    });
    after(async () => {
        process.chdir(originalCwd);
        await stack?.workspace.removeStack("installed", { force: true }).catch(() => undefined);
        fs.rmSync(projectDir, { recursive: true, force: true });
        await registry?.stop();
    });

    it("publishes with the provider from node_modules", async () => {
        const baseImage = pushBaseImageFixture(registry.address);
        process.chdir(projectDir);
        const library = require(path.join(projectDir, "node_modules", "pulumi-kos")) as typeof import("../../provider");
        const program = async () => {
            const image = new library.KoImage("goodbye", {
                workingDir: "app",
                main: "./cmd/goodbye",
                baseImage,
                repositories: [`${registry.address}/installed`],
                ldflags: ["-s -w"],
                bare: true,
                sbom: "none",
            });
            return { imageRef: image.imageRef };
        };
        stack = await openStack({ projectDir, stackName: "installed", program, backendUrl: `file://${path.join(projectDir, ".state")}` });
        const result = await stack.up();
        const imageRef = result.outputs.imageRef.value as string;
        assert.match(imageRef, new RegExp(`^${registry.address}/installed@sha256:[0-9a-f]{64}$`));
        assert.equal((await new RegistryClient({ env: {} }).getManifest(imageRef)).digest, imageRef.split("@")[1]);

        const deployment = (await stack.exportStack()).deployment as { resources: { type: string; outputs?: { __provider?: string } }[] };
        const provider = deployment.resources.find((resource) => resource.type === "pulumi-nodejs:dynamic/kos:KoImage")?.outputs?.__provider ?? "";
        assert.match(provider, /"node_modules\/pulumi-kos\/dist\/provider\/resource\/operations\.js"/);
        assert.ok(!provider.includes(path.join(repoRoot, "dist")), "the serialized provider points into this repository");
        assert.ok(provider.length < 10_000, `the serialized provider has ${provider.length} characters`);
    });
});
