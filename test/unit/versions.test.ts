import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../support/paths";

function read(file: string): string {
    return fs.readFileSync(path.join(repoRoot, file), "utf8");
}

describe("pinned versions", () => {
    it("Pulumi CLI matches @pulumi/pulumi", () => {
        const sdk = (JSON.parse(read("package.json")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
        const cli = /^PULUMI_VERSION=(\S+)/m.exec(read("scripts/env.sh"))?.[1];
        const goModule = /github\.com\/pulumi\/pulumi\/pkg\/v3 v(\S+)/.exec(read("tools/pulumi/go.mod"))?.[1];
        const goSdk = /github\.com\/pulumi\/pulumi\/sdk\/v3 v(\S+)/.exec(read("tools/pulumi/go.mod"))?.[1];
        assert.equal(cli, sdk);
        assert.equal(goModule, sdk);
        assert.equal(goSdk, sdk);
    });

    it("dependencies are exact versions", () => {
        const manifest = JSON.parse(read("package.json")) as Record<string, Record<string, string>>;
        for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
            assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned as ${version}`);
        }
    });
});
