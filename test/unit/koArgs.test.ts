import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeKoBuildArgs } from "../../provider/ko/args";
import { parseImageRefs } from "../../provider/ko/driver";
import { renderKoConfig } from "../../provider/ko/koConfig";
import { resolveImageSpec } from "../../provider/spec/spec";

const digest = `sha256:${"a".repeat(64)}`;
const childDigest = `sha256:${"b".repeat(64)}`;

describe("makeKoBuildArgs", () => {
    it("passes platforms, tags, sbom and image refs", () => {
        const spec = resolveImageSpec({ main: "./cmd/app", repositories: ["r.io/x"], platforms: ["linux/amd64", "linux/arm64"], tags: ["latest", "v1"] });
        assert.deepEqual(makeKoBuildArgs(spec, "/tmp/refs", "push"), [
            "build",
            "./cmd/app",
            "--platform=linux/amd64,linux/arm64",
            "--tags=latest,v1",
            "--sbom=spdx",
            "--image-refs=/tmp/refs",
        ]);
    });

    const namingCases = [
        { name: "preserve import paths wins", spec: { preserveImportPaths: true, baseImportPaths: true, bare: true }, flag: "--preserve-import-paths" },
        { name: "base import paths beats bare", spec: { baseImportPaths: true, bare: true }, flag: "--base-import-paths" },
        { name: "bare alone", spec: { bare: true }, flag: "--bare" },
    ];
    for (const namingCase of namingCases) {
        it(`naming: ${namingCase.name}`, () => {
            const args = makeKoBuildArgs(resolveImageSpec({ repositories: ["r.io/x"], ...namingCase.spec }), "/tmp/refs", "push");
            const naming = args.filter((arg) => ["--preserve-import-paths", "--base-import-paths", "--bare"].includes(arg));
            assert.deepEqual(naming, [namingCase.flag]);
        });
    }

    it("quotes label values with commas", () => {
        const spec = resolveImageSpec({ repositories: ["r.io/x"], labels: { b: "1,2", a: 'say "hi"' }, annotations: { c: "3" }, user: "1234:1234" });
        const args = makeKoBuildArgs(spec, "/tmp/refs", "build-only");
        assert.deepEqual(args.slice(6), ['--image-label="a=say ""hi"""', '--image-label="b=1,2"', "--image-annotation=c=3", "--image-user=1234:1234", "--push=false"]);
    });
});

describe("renderKoConfig", () => {
    it("writes base image and build settings", () => {
        const spec = resolveImageSpec({ main: "./cmd/app", repositories: ["r.io/x"], baseImage: "r.io/base", ldflags: ["-s -w"], env: ["A=1"] });
        assert.equal(renderKoConfig(spec), "defaultBaseImage: r.io/base\nbuilds:\n  - id: pulumi-kos\n    dir: .\n    main: ./cmd/app\n    env:\n      - A=1\n    ldflags:\n      - -s -w\n");
    });
});

describe("parseImageRefs", () => {
    it("reads an index and its images", () => {
        const result = parseImageRefs(`r.io/x/app@${digest}\nr.io/x/app@${digest}\nr.io/x/app@${childDigest}\n`);
        assert.equal(result.imageRef, `r.io/x/app@${digest}`);
        assert.equal(result.imageName, "r.io/x/app");
        assert.equal(result.digest, digest);
        assert.deepEqual(result.childRefs, [`r.io/x/app@${childDigest}`]);
    });

    it("drops the tag of a tagged reference", () => {
        const result = parseImageRefs(`127.0.0.1:5000/x/app:v1@${digest}\n`);
        assert.equal(result.imageRef, `127.0.0.1:5000/x/app@${digest}`);
        assert.equal(result.imageName, "127.0.0.1:5000/x/app");
    });

    it("rejects output without a digest", () => {
        assert.throws(() => parseImageRefs("<none>@<none>\n"), /ko did not report a digest reference/);
        assert.throws(() => parseImageRefs(""), /ko did not report a digest reference/);
    });
});
