import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { pushBaseImageFixture } from "../../cli/baseImage";
import { KoImage, RegistryClient, type KoImageArgs } from "../../provider";
import { repoRoot } from "../support/paths";
import { createTestProject, type TestProject } from "../support/project";
import { resourceOutputs } from "../support/stack";
import { startTestRegistry, type TestRegistry } from "../support/registryServer";

const password = "pulumi-kos-e2e-password-71c3";
const otherPassword = "pulumi-kos-e2e-other-password-9b1e";

/**
 * A KoImage used directly from a program: copies to a second, password-protected registry,
 * updates that only retag, credential changes, and where the credentials end up.
 */
describe("KoImage resource", { timeout: 600_000 }, () => {
    let publicRegistry: TestRegistry;
    let protectedRegistry: TestRegistry;
    let project: TestProject;
    let stack: Stack;
    let args: KoImageArgs;
    let output = "";

    const program = async () => {
        const image = new KoImage("app", args);
        return { imageRef: image.imageRef, copies: image.copies, publishedTags: image.publishedTags };
    };
    const run = { onOutput: (text: string) => (output += text), onError: (text: string) => (output += text) };

    before(async () => {
        publicRegistry = await startTestRegistry();
        protectedRegistry = await startTestRegistry({ users: { ci: password, other: otherPassword } });
        const baseImage = pushBaseImageFixture(publicRegistry.address);
        project = createTestProject();
        fs.cpSync(path.join(repoRoot, "examples", "hello"), path.join(project.dir, "app"), { recursive: true });
        args = {
            workingDir: "app",
            main: "./cmd/goodbye",
            baseImage,
            repositories: [`${publicRegistry.address}/app`, `${protectedRegistry.address}/mirror`],
            tags: ["v1"],
            sbom: "none",
            bare: true,
            registries: [{ address: protectedRegistry.address, username: "ci", password: pulumi.secret(password) }],
        };
        stack = await project.openStack("resource", program);
    });
    after(async () => {
        await stack?.workspace.removeStack("resource", { force: true }).catch(() => undefined);
        project?.dispose();
        await publicRegistry?.stop();
        await protectedRegistry?.stop();
    });

    it("copies to the other repository", async () => {
        const result = await stack.up(run);
        const imageRef = result.outputs.imageRef.value as string;
        const digest = imageRef.split("@")[1];
        assert.deepEqual(result.outputs.copies.value, [`${protectedRegistry.address}/mirror:v1`]);

        const client = new RegistryClient({ registryAuth: [{ address: protectedRegistry.address, username: "ci", password }], env: {} });
        assert.equal((await client.getManifest(`${protectedRegistry.address}/mirror:v1`)).digest, digest);
        await assert.rejects(new RegistryClient({ env: {} }).getManifest(`${protectedRegistry.address}/mirror:v1`), /UNAUTHORIZED|401/);
    });

    it("retags without building", async () => {
        args = { ...args, tags: ["v1", "v2"] };
        project.clearToolCalls();
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });

        output = "";
        const result = await stack.up(run);
        assert.deepEqual(result.summary.resourceChanges, { same: 1, update: 1 });
        assert.deepEqual(project.toolCalls().filter((call) => call.startsWith("ko ") || call.startsWith("go build")), []);
        assert.match(output, /Tagging .*\/app:v2/);

        const digest = (result.outputs.imageRef.value as string).split("@")[1];
        const client = new RegistryClient({ registryAuth: [{ address: protectedRegistry.address, username: "ci", password }], env: {} });
        assert.equal((await client.getManifest(`${publicRegistry.address}/app:v2`)).digest, digest);
        assert.equal((await client.getManifest(`${protectedRegistry.address}/mirror:v2`)).digest, digest);
    });

    it("ignores a credential change", async () => {
        args = { ...args, registries: [{ address: protectedRegistry.address, username: "other", password: pulumi.secret(otherPassword) }] };
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 2 });
    });

    it("rebuilds when the first repository changes", async () => {
        args = { ...args, repositories: [`${publicRegistry.address}/renamed`, `${protectedRegistry.address}/mirror`] };
        project.clearToolCalls();
        output = "";
        const result = await stack.up(run);
        assert.deepEqual(result.summary.resourceChanges, { same: 1, update: 1 });
        assert.ok(project.toolCalls().some((call) => call.startsWith("ko build")), "ko ran");
        assert.match(result.outputs.imageRef.value as string, new RegExp(`^${publicRegistry.address}/renamed@sha256:`));
    });

    it("reports invalid inputs as check failures", async () => {
        const valid = args;
        args = { ...args, sbom: "cyclonedx", platforms: ["linux/amd64", "arm64"] };
        try {
            await assert.rejects(stack.preview(run), (error: Error) => {
                assert.match(error.message, /platforms\[1\].*is not a valid platform/);
                assert.match(error.message, /sbom.*is not a supported SBOM format: use one of spdx, none/);
                return true;
            });
        } finally {
            args = valid;
        }
    });

    it("keeps credentials out of state, logs and argv", async () => {
        // The state file itself: `pulumi stack export`, which exportStack runs, decrypts secrets.
        const stateFile = path.join(project.backendUrl.slice("file://".length), ".pulumi", "stacks", "kos-test", "resource.json");
        const state = fs.readFileSync(stateFile, "utf8");
        assert.match(state, /"registries"/);
        for (const secret of [password, otherPassword]) {
            assert.ok(!state.includes(secret), "the state holds a password in plain text");
            assert.ok(!state.includes(Buffer.from(`other:${secret}`).toString("base64")), "the state holds encoded credentials");
            assert.ok(!output.includes(secret), "the output shows a password");
            assert.ok(!project.toolCalls().some((call) => call.includes(secret)), "a password reached a command line");
        }
        assert.ok(project.toolCalls().some((call) => call.startsWith("ko build")), "ko calls were logged");
    });

    it("ignores a new build date alone", async () => {
        const pinned = { ldflags: ["-s -w -X main.date=1970-01-01T00:00:00Z"] };
        args = { ...args, ldflags: ["-s -w -X main.date=2026-01-01T00:00:00Z"], stableValues: pinned };
        await stack.up(run);

        args = { ...args, ldflags: ["-s -w -X main.date=2026-01-02T00:00:00Z"] };
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 2 });

        // A tag change retags without building, so the state keeps the date the image was built with.
        args = { ...args, tags: ["v1", "v2", "v3"] };
        project.clearToolCalls();
        await stack.up(run);
        assert.ok(!project.toolCalls().some((call) => call.startsWith("ko ")), "ko ran for a retag");
        const outputs = await resourceOutputs(stack, "pulumi-nodejs:dynamic/kos:KoImage");
        assert.deepEqual(outputs.app.ldflags, ["-s -w -X main.date=2026-01-01T00:00:00Z"]);
    });
});
