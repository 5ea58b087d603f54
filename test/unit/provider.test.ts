import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { KoImageArgs } from "../../provider";
import { check, diff } from "../../provider/resource/operations";
import { koImageProvider } from "../../provider/resource/provider";
import { imageFields, settingFields } from "../../provider/spec/fields";

const unknown = pulumi.runtime.unknownValue;

describe("provider check", () => {
    it("fills GoReleaser's defaults", async () => {
        // A closed local port: the base image lookup fails at once, as it would offline.
        const result = await check({}, { repositories: ["ghcr.io/acme/app"], workingDir: "examples/hello", main: "./cmd/goodbye", baseImage: "127.0.0.1:1/base" });
        assert.equal(result.failures, undefined);
        const { sourceFingerprint, ...inputs } = result.inputs as Record<string, unknown>;
        assert.deepEqual(inputs, {
            main: "./cmd/goodbye",
            workingDir: "examples/hello",
            baseImage: "127.0.0.1:1/base",
            baseImageDigest: "127.0.0.1:1/base",
            labels: {},
            annotations: {},
            repositories: ["ghcr.io/acme/app"],
            platforms: ["linux/amd64"],
            tags: ["latest"],
            sbom: "spdx",
            ldflags: [],
            flags: [],
            env: [],
            bare: false,
            preserveImportPaths: false,
            baseImportPaths: false,
        });
        const packages = Object.keys((sourceFingerprint as { packages: Record<string, string> }).packages);
        assert.deepEqual(packages, ["example.com/hello/cmd/goodbye", "example.com/hello/internal/greeting"]);
    });

    it("reports a package that go cannot list", async () => {
        const result = await check({}, { repositories: ["ghcr.io/acme/app"], workingDir: "examples/hello", main: "./cmd/missing", baseImage: "127.0.0.1:1/base" });
        assert.equal(result.failures?.[0].property, "main");
        assert.match(result.failures?.[0].reason ?? "", /cmd\/missing/);
    });

    it("reports every invalid input by property", async () => {
        const result = await check({}, { repositories: [], platforms: ["linux/amd64", 7], sbom: "cyclonedx", bare: "yes" });
        assert.deepEqual(
            result.failures?.map((failure) => failure.property),
            ["platforms[1]", "bare"],
        );
        const semantic = await check({}, { repositories: [], sbom: "cyclonedx", main: "main.go" });
        assert.deepEqual(
            semantic.failures?.map((failure) => failure.property),
            ["main", "repositories", "sbom"],
        );
        assert.match(semantic.failures?.[2].reason ?? "", /use one of spdx, none \(got "cyclonedx"\)/);
    });

    it("rejects a non-boolean buildOnPreview", async () => {
        const result = await check({}, { repositories: ["ghcr.io/acme/app"], buildOnPreview: "yes" });
        assert.deepEqual(result.failures, [{ property: "buildOnPreview", reason: 'expected true or false (got "yes")' }]);
    });

    it("accepts unknown values during preview", async () => {
        const news = { repositories: unknown, tags: [unknown] };
        const result = await check({}, news);
        assert.equal(result.failures, undefined);
        assert.deepEqual(result.inputs, news);
    });
});

describe("provider check with buildOnPreview", () => {
    // A closed local port as base image: a ko build would fail, so a result without failures
    // shows that no build ran.
    const news = { repositories: ["ghcr.io/acme/app"], workingDir: "examples/hello", main: "./cmd/goodbye", baseImage: "127.0.0.1:1/base" };
    const stored = { imageRef: `ghcr.io/acme/app@sha256:${"a".repeat(64)}`, digest: `sha256:${"a".repeat(64)}` };

    it("reuses the stored prediction when unchanged", async () => {
        const olds = { ...(await check({}, news)).inputs, ...stored };
        const result = await check(olds, { ...news, tags: ["v2"], buildOnPreview: true });
        assert.equal(result.failures, undefined);
        assert.equal(result.inputs?.imageRef, stored.imageRef);
        assert.equal(result.inputs?.digest, stored.digest);
    });

    it("skips the build when unchanged without a prediction", async () => {
        const olds = (await check({}, news)).inputs ?? {};
        const result = await check(olds, { ...news, buildOnPreview: true });
        assert.equal(result.failures, undefined);
        assert.equal(result.inputs?.imageRef, undefined);
    });

    it("skips the build while credentials are unknown", async () => {
        const result = await check({}, { ...news, buildOnPreview: true, registries: unknown });
        assert.equal(result.failures, undefined);
        assert.equal(result.inputs?.imageRef, undefined);
    });

    it("reports a failed preview build on main", async () => {
        const result = await check({}, { ...news, buildOnPreview: true });
        assert.equal(result.failures?.length, 1);
        assert.equal(result.failures?.[0].property, "main");
        assert.match(result.failures?.[0].reason ?? "", /^the preview build \(buildOnPreview: true\) failed: ko build \.\/cmd\/goodbye .*--push=false failed/);
        assert.match(result.failures?.[0].reason ?? "", /127\.0\.0\.1:1/);
    });
});

describe("provider diff", () => {
    const olds = { repositories: ["r.io/x"], tags: ["latest"], imageRef: "r.io/x@sha256:0", __provider: "old code" };

    it("reports no change for equal inputs and new provider code", async () => {
        const result = await diff("id", olds, { repositories: ["r.io/x"], tags: ["latest"], __provider: "new code" });
        assert.equal(result.changes, false);
    });

    it("ignores buildOnPreview and the predicted image", async () => {
        const predicted = { imageRef: "r.io/x@sha256:1", digest: "sha256:1", buildOnPreview: true };
        const result = await diff("id", olds, { repositories: ["r.io/x"], tags: ["latest"], ...predicted });
        assert.equal(result.changes, false);
    });

    it("updates in place when a tag changes", async () => {
        const result = await diff("id", olds, { repositories: ["r.io/x"], tags: ["v1"] });
        assert.equal(result.changes, true);
        assert.deepEqual(result.replaces, []);
    });

    it("updates when an input is unknown", async () => {
        const result = await diff("id", olds, { repositories: ["r.io/x"], tags: [unknown] });
        assert.equal(result.changes, true);
    });
});

describe("image field table", () => {
    it("lists every resource input once", () => {
        // The compiler rejects this object when KoImageArgs gains or loses an input.
        const argsInputs: Record<keyof KoImageArgs, true> = {
            main: true,
            workingDir: true,
            baseImage: true,
            labels: true,
            annotations: true,
            user: true,
            repositories: true,
            platforms: true,
            tags: true,
            creationTime: true,
            koDataCreationTime: true,
            sbom: true,
            sbomDirectory: true,
            ldflags: true,
            flags: true,
            env: true,
            bare: true,
            preserveImportPaths: true,
            baseImportPaths: true,
            registries: true,
            stableValues: true,
            buildOnPreview: true,
        };
        const tableInputs = [...imageFields, ...settingFields].map((field) => field.input);
        assert.deepEqual(tableInputs.sort(), Object.keys(argsInputs).sort());
    });
});

describe("serialized provider", () => {
    it("captures no library code", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => koImageProvider, { allowSecrets: true });
        assert.ok(serialized.text.length < 10_000, `serialized provider is ${serialized.text.length} characters`);
        for (const library of ["zod", "execa", "yaml"]) {
            assert.ok(!serialized.text.includes(`"${library}"`), `serialized provider requires ${library}`);
        }
        assert.ok(!serialized.text.includes("ZodType"), "serialized provider contains a zod schema");
        assert.match(serialized.text, /operations\.js/);
    });

    it("loads the library when deserialized", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => koImageProvider, { allowSecrets: true });
        // The dynamic provider host loads the text with require-from-string, a dependency of @pulumi/pulumi.
        const requireFromString = require("require-from-string") as (code: string) => { handler: () => pulumi.dynamic.ResourceProvider };
        const provider = requireFromString(serialized.text).handler();
        const result = await provider.check!({}, { repositories: ["ghcr.io/acme/app"], workingDir: "examples/hello", main: "./cmd/hello", baseImage: "127.0.0.1:1/base" });
        assert.equal(result.failures, undefined);
        assert.equal(result.inputs?.sbom, "spdx");
    });
});
