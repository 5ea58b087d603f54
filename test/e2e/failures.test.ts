import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { findFreePort } from "../../cli/localRegistry";
import { openStack } from "../../cli/stack";
import { runKoBuild } from "../../provider/ko/driver";
import { resolveImageSpec } from "../../provider/spec/spec";
import { publishKos } from "../../program";
import { repoRoot, writeTempFiles } from "../support/paths";
import { createTestStack, resourceTypes, upError, type TestStack } from "../support/stack";

const koImageType = "pulumi-nodejs:dynamic/kos:KoImage";

describe("failed pulumi up", { timeout: 600_000 }, () => {
    let test: TestStack;

    before(async () => {
        test = await createTestStack("failures");
    });
    after(async () => {
        await test?.dispose();
    });

    it("shows the Go compiler error and records nothing", async () => {
        await test.stack.setConfig("goreleaserConfig", { value: "test/fixtures/compile-error/.goreleaser.yaml" });
        const message = await upError(test.stack);
        assert.match(message, /ko build \.\/cmd\/broken .* failed in .*test\/fixtures\/compile-error \(exit code 1\)/);
        assert.match(message, /undefined: undefinedFunction/);
        assert.ok(!(await resourceTypes(test.stack)).includes(koImageType));
    });

    it("names an unreachable registry and records nothing", async () => {
        const closedPort = await findFreePort();
        await test.stack.setConfig("goreleaserConfig", { value: "examples/hello/.goreleaser.yaml" });
        await test.stack.setConfig("koDockerRepo", { value: `127.0.0.1:${closedPort}/nowhere` });
        const message = await upError(test.stack);
        assert.match(message, /the registry could not be reached/);
        assert.match(message, new RegExp(`127\\.0\\.0\\.1:${closedPort}`));
        assert.ok(!(await resourceTypes(test.stack)).includes(koImageType));
        await test.stack.setConfig("koDockerRepo", { value: `${test.registry.address}/e2e` });
    });

    it("names a missing config file", async () => {
        await test.stack.setConfig("goreleaserConfig", { value: "test/fixtures/missing/.goreleaser.yaml" });
        const message = await upError(test.stack);
        assert.match(message, /file not found at .*test\/fixtures\/missing\/\.goreleaser\.yaml/);
    });

    it("locates a YAML syntax error", async () => {
        await test.stack.setConfig("goreleaserConfig", { value: "test/fixtures/invalid-yaml/.goreleaser.yaml" });
        const message = await upError(test.stack);
        assert.match(message, /test\/fixtures\/invalid-yaml\/\.goreleaser\.yaml:\d+:\d+: invalid YAML/);
        assert.ok(!(await resourceTypes(test.stack)).includes(koImageType));
    });
});

describe("missing tools", () => {
    const spec = resolveImageSpec({ repositories: ["127.0.0.1:1/x"], main: "./cmd/hello" });
    const workingDir = path.join(repoRoot, "examples", "hello");

    it("names a missing ko", async () => {
        await assert.rejects(runKoBuild({ spec, workingDir, mode: "build-only", env: { PATH: "/nonexistent" } }), /ko was not found on PATH: install it with `go install github\.com\/google\/ko@v0\.19\.1`/);
    });

    it("names a missing go", async () => {
        const koOnly = path.join(repoRoot, ".tools", "bin");
        await assert.rejects(runKoBuild({ spec, workingDir, mode: "build-only", env: { PATH: koOnly } }), /go was not found on PATH: ko needs the Go toolchain/);
    });

    it("names a missing Pulumi CLI", async () => {
        const projectDir = writeTempFiles({ "Pulumi.yaml": "name: empty\nruntime: nodejs\n" });
        const savedPath = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
            await assert.rejects(openStack({ projectDir, stackName: "none", program: publishKos }), /the Pulumi CLI was not found: run `npm run setup`/);
        } finally {
            process.env.PATH = savedPath;
        }
    });
});
