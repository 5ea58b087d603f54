import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { pushBaseImageFixture } from "../../cli/baseImage";
import { startLocalRegistry, type LocalRegistry } from "../../cli/localRegistry";
import { loadGoreleaserConfig, RegistryClient, resolveImageSpec } from "../../provider";
import { runKoBuild, type KoBuildResult } from "../../provider/ko/driver";
import { repoRoot } from "../support/paths";

/** The parts of an OCI image config these tests read. */
interface ImageConfig {
    readonly created: string;
    readonly os: string;
    readonly architecture: string;
    readonly config: { readonly Labels?: Record<string, string>; readonly User?: string; readonly Entrypoint?: string[] };
    readonly history: readonly { readonly created?: string }[];
}

/**
 * Behaviours that GoReleaser's own kos tests assert, checked here with the real ko against a
 * local registry: each case writes a `.goreleaser.yaml` beside a copy of the example module,
 * loads it as the provider does, and publishes the first entry.
 */
describe("GoReleaser kos behaviour with ko", { timeout: 600_000 }, () => {
    let registry: LocalRegistry;
    let baseIndex: string;
    const client = new RegistryClient();
    const moduleDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-module-"));

    before(async () => {
        registry = await startLocalRegistry();
        baseIndex = pushBaseImageFixture(registry.address);
        fs.cpSync(path.join(repoRoot, "examples", "hello"), moduleDir, { recursive: true });
    });
    after(async () => {
        await registry?.stop();
        fs.rmSync(registry.storageDir, { recursive: true, force: true });
        fs.rmSync(moduleDir, { recursive: true, force: true });
    });

    /** Publishes the first kos entry of `kosYaml` (the lines under `kos:`), with the fixture as default base. */
    async function publish(kosYaml: string): Promise<KoBuildResult> {
        const yaml = `project_name: test\nbuilds:\n  - id: test\n    main: ./cmd/hello\nkos:\n${kosYaml}`;
        fs.writeFileSync(path.join(moduleDir, ".goreleaser.yaml"), yaml);
        // The copied module is no git repository; snapshot mode gives GoReleaser's placeholders.
        const config = await loadGoreleaserConfig(".goreleaser.yaml", { baseDir: moduleDir, env: {}, snapshot: true });
        const spec = resolveImageSpec({ ...config.entries[0].spec, baseImage: config.entries[0].spec.baseImage ?? baseIndex });
        return runKoBuild({ spec, workingDir: path.join(moduleDir, spec.workingDir), mode: "push" });
    }

    async function imageConfig(result: KoBuildResult): Promise<{ config: ImageConfig; annotations: Record<string, string> }> {
        const { manifest } = await client.getManifest(result.imageRef);
        assert.ok(manifest.config, `${result.imageRef} is not a single image`);
        const config = await client.getJsonBlob<ImageConfig>(result.imageName, manifest.config.digest);
        return { config, annotations: manifest.annotations ?? {} };
    }

    it("names images by import path hash by default", async () => {
        const result = await publish(`  - repositories: [${registry.address}/naming]\n    sbom: none\n`);
        const hash = createHash("md5").update("example.com/hello/cmd/hello").digest("hex");
        assert.equal(result.imageName, `${registry.address}/naming/hello-${hash}`);
    });

    const namingCases = [
        { flag: "base_import_paths", want: "/naming/hello" },
        { flag: "preserve_import_paths", want: "/naming/example.com/hello/cmd/hello" },
        { flag: "bare", want: "/naming" },
    ];
    for (const { flag, want } of namingCases) {
        it(`names images with ${flag}`, async () => {
            const result = await publish(`  - repositories: [${registry.address}/naming]\n    ${flag}: true\n    sbom: none\n`);
            assert.equal(result.imageName, `${registry.address}${want}`);
        });
    }

    it("pushes only the configured tags", async () => {
        const result = await publish(`  - repositories: [${registry.address}/tags]\n    bare: true\n    tags: [v1, stable]\n    sbom: none\n`);
        for (const tag of ["v1", "stable"]) {
            assert.equal((await client.getManifest(`${result.imageName}:${tag}`)).digest, result.digest, tag);
        }
        await assert.rejects(client.getManifest(`${result.imageName}:latest`), /HTTP 404/);
    });

    it("builds a single image on a base that is not an index", async () => {
        const single = `${registry.address}/kos-base:linux-amd64`;
        const result = await publish(`  - repositories: [${registry.address}/single]\n    bare: true\n    base_image: ${single}\n`);
        const { manifest } = await client.getManifest(result.imageRef);
        assert.equal(manifest.manifests, undefined);
        assert.deepEqual(result.childRefs, []);
    });

    it("builds an index with exactly the configured platforms", async () => {
        const result = await publish(`  - repositories: [${registry.address}/multi]\n    bare: true\n    platforms: [linux/arm64, linux/amd64]\n`);
        const { manifest, mediaType } = await client.getManifest(result.imageRef);
        assert.equal(mediaType, "application/vnd.oci.image.index.v1+json");
        const platforms = (manifest.manifests ?? []).map((child) => `${child.platform?.os}/${child.platform?.architecture}`).sort();
        assert.deepEqual(platforms, ["linux/amd64", "linux/arm64"]);
        assert.equal(manifest.annotations?.["org.opencontainers.image.base.name"], baseIndex);
        assert.match(manifest.annotations?.["org.opencontainers.image.base.digest"] ?? "", /^sha256:[0-9a-f]{64}$/);
    });

    it("sets labels, annotations and user", async () => {
        const result = await publish(
            [
                `  - repositories: [${registry.address}/metadata]`,
                "    bare: true",
                "    labels: {foo: bar, list: 'a,b'}",
                "    annotations: {org.example.note: hello}",
                "    user: '1234:1234'",
                "",
            ].join("\n"),
        );
        const { config, annotations } = await imageConfig(result);
        assert.equal(config.config.Labels?.foo, "bar");
        assert.equal(config.config.Labels?.list, "a,b");
        assert.equal(annotations["org.example.note"], "hello");
        assert.equal(config.config.User, "1234:1234");
        assert.deepEqual(config.config.Entrypoint, ["/ko-app/hello"]);
    });

    it("keeps the base image's user by default", async () => {
        const result = await publish(`  - repositories: [${registry.address}/user]\n    bare: true\n`);
        const { config } = await imageConfig(result);
        assert.equal(config.config.User, "65532");
    });

    it("sets creation times", async () => {
        const result = await publish(
            `  - repositories: [${registry.address}/times]\n    bare: true\n    creation_time: '1672531200'\n    ko_data_creation_time: '1672617600'\n`,
        );
        const { config } = await imageConfig(result);
        assert.equal(config.created, "2023-01-01T00:00:00Z");
        assert.ok(config.history.length >= 2, `history has ${config.history.length} entries`);
        assert.equal(config.history[config.history.length - 1].created, "2023-01-01T00:00:00Z");
        assert.equal(config.history[config.history.length - 2].created, "2023-01-02T00:00:00Z");
    });

    it("uses the zero time without creation times", async () => {
        const result = await publish(`  - repositories: [${registry.address}/zero]\n    bare: true\n`);
        const { config } = await imageConfig(result);
        assert.equal(config.created, "0001-01-01T00:00:00Z");
        assert.equal(config.history[config.history.length - 1].created, "0001-01-01T00:00:00Z");
    });
});
