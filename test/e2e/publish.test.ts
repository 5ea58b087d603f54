import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { RegistryClient, RegistryError } from "../../provider";
import { repoRoot } from "../support/paths";
import { createTestStack, resourceOutputs, resourceTypes, type TestStack } from "../support/stack";

const koImageType = "pulumi-nodejs:dynamic/kos:KoImage";

/** Finds the snapshot version among tag references: `<name>:0.0.0-SNAPSHOT-<commit>`. */
function snapshotVersion(tagRefs: readonly string[]): string {
    const version = tagRefs.map((ref) => ref.slice(ref.lastIndexOf(":") + 1)).find((tag) => tag.includes("-SNAPSHOT-"));
    assert.ok(version, `no snapshot version among ${tagRefs.join(", ")}`);
    return version;
}

/** Splits `<name>@sha256:<hex>`. */
function splitRef(ref: string): { name: string; digest: string } {
    const [name, digest] = ref.split("@");
    return { name, digest };
}

async function assertMissing(client: RegistryClient, reference: string): Promise<void> {
    await assert.rejects(client.getManifest(reference), (error: Error) => error instanceof RegistryError && error.status === 404, `${reference} exists`);
}

describe("pulumi up of the example", { timeout: 600_000 }, () => {
    let test: TestStack;
    let imageRefs: Record<string, string>;
    const client = new RegistryClient();

    before(async () => {
        test = await createTestStack("publish");
    });
    after(async () => {
        await test?.dispose();
    });

    it("publishes every kos entry", async () => {
        const result = await test.stack.up();
        imageRefs = result.outputs.imageRefs.value as Record<string, string>;
        assert.deepEqual(Object.keys(imageRefs).sort(), ["goodbye", "hello"]);
        assert.deepEqual(result.summary.resourceChanges, { create: 3 });

        for (const [id, ref] of Object.entries(imageRefs)) {
            assert.match(ref, new RegExp(`^${test.registry.address}/e2e/${id}@sha256:[0-9a-f]{64}$`));
            const fetched = await client.getManifest(ref);
            assert.equal(fetched.digest, splitRef(ref).digest, `digest of ${id}`);
        }
    });

    it("pushes an index with exactly the two platforms", async () => {
        const { name, digest } = splitRef(imageRefs.hello);
        const { manifest, mediaType } = await client.getManifest(imageRefs.hello);
        assert.equal(mediaType, "application/vnd.oci.image.index.v1+json");
        const platforms = (manifest.manifests ?? []).map((child) => `${child.platform?.os}/${child.platform?.architecture}`).sort();
        assert.deepEqual(platforms, ["linux/amd64", "linux/arm64"]);

        const outputs = await resourceOutputs(test.stack, koImageType);
        const version = snapshotVersion(outputs.hello.publishedTags as string[]);
        assert.deepEqual(outputs.hello.publishedTags, [`${name}:latest`, `${name}:${version}`], "the empty v<major> tag of a snapshot is dropped");
        for (const ref of outputs.hello.publishedTags as string[]) {
            assert.equal((await client.getManifest(ref)).digest, digest, ref);
        }
        assert.equal((await client.getManifest(`${name}:sha256-${digest.slice("sha256:".length)}.sbom`)).mediaType !== "", true);
    });

    it("copies to the second repository", async () => {
        const outputs = await resourceOutputs(test.stack, koImageType);
        const version = snapshotVersion(outputs.hello.publishedTags as string[]);
        const mirror = `${test.registry.address}/e2e/mirror/hello`;
        assert.deepEqual(outputs.hello.copies, [`${mirror}:latest`, `${mirror}:${version}`]);
        for (const ref of outputs.hello.copies as string[]) {
            assert.equal((await client.getManifest(ref)).digest, splitRef(imageRefs.hello).digest, ref);
        }
    });

    it("applies templated labels and creation time", async () => {
        const outputs = await resourceOutputs(test.stack, koImageType);
        const version = snapshotVersion(outputs.hello.publishedTags as string[]);
        const amd64 = (outputs.hello.platformDigests as Record<string, string>)["linux/amd64"];
        const { name } = splitRef(imageRefs.hello);
        const { manifest } = await client.getManifest(`${name}@${amd64}`);
        const config = await client.getJsonBlob<{ created: string; config: { Labels: Record<string, string> } }>(name, manifest.config!.digest);
        assert.equal(config.config.Labels["org.opencontainers.image.version"], version);
        assert.match(config.config.Labels["org.opencontainers.image.revision"], /^[0-9a-f]{40}$/);
        const commitTime = execFileSync("git", ["show", "-s", "--format=%cI", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
        assert.equal(Date.parse(config.created), Date.parse(commitTime));
    });

    it("records platform digests and SBOMs", async () => {
        const outputs = await resourceOutputs(test.stack, koImageType);
        const { manifest } = await client.getManifest(imageRefs.hello);
        const children = Object.fromEntries((manifest.manifests ?? []).map((child) => [`${child.platform?.os}/${child.platform?.architecture}`, child.digest]));
        assert.deepEqual(outputs.hello.platformDigests, children);
        assert.equal((outputs.hello.sbomRefs as string[]).length, 3, "one SBOM for the index and one per image");
        for (const ref of outputs.hello.sbomRefs as string[]) {
            const sbom = await client.getManifest(ref);
            assert.equal(sbom.manifest.layers?.[0].mediaType, "text/spdx+json", ref);
        }

        const { digest } = splitRef(imageRefs.goodbye);
        assert.deepEqual(outputs.goodbye.platformDigests, { "linux/amd64": digest });
        assert.deepEqual(outputs.goodbye.sbomRefs, []);
    });

    it("pushes a single image for one platform", async () => {
        const { name, digest } = splitRef(imageRefs.goodbye);
        const { manifest, mediaType } = await client.getManifest(imageRefs.goodbye);
        assert.equal(mediaType, "application/vnd.oci.image.manifest.v1+json");
        assert.equal(manifest.manifests, undefined);

        const config = await client.getJsonBlob<{ architecture: string; os: string; config: { Entrypoint: string[]; User: string } }>(name, manifest.config!.digest);
        assert.equal(`${config.os}/${config.architecture}`, "linux/amd64");
        assert.deepEqual(config.config.Entrypoint, ["/ko-app/goodbye"]);
        assert.equal(config.config.User, "65532");

        const outputs = await resourceOutputs(test.stack, koImageType);
        const [tagRef] = outputs.goodbye.publishedTags as string[];
        assert.match(tagRef, /:0\.0\.0-SNAPSHOT-[0-9a-f]+$/);
        assert.equal((await client.getManifest(tagRef)).digest, digest);
        await assertMissing(client, `${name}:latest`);
        await assertMissing(client, `${name}:sha256-${digest.slice("sha256:".length)}.sbom`);
    });

    it("reports no changes on a second up", async () => {
        const preview = await test.stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 3 });
        const result = await test.stack.up();
        assert.deepEqual(result.summary.resourceChanges, { same: 3 });
        assert.deepEqual(result.outputs.imageRefs.value, imageRefs);
    });

    it("refresh notices a deleted image", async () => {
        // hello is reproducible (no build date in its ldflags), so republishing gives the same digest.
        const { name, digest } = splitRef(imageRefs.hello);
        const [registry, repository] = [name.slice(0, name.indexOf("/")), name.slice(name.indexOf("/") + 1)];
        const response = await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, { method: "DELETE" });
        assert.equal(response.status, 202);

        const refresh = await test.stack.refresh();
        assert.equal(refresh.summary.resourceChanges?.delete, 1, JSON.stringify(refresh.summary.resourceChanges));
        const result = await test.stack.up();
        assert.deepEqual(result.summary.resourceChanges, { create: 1, same: 2 });
        assert.equal((result.outputs.imageRefs.value as Record<string, string>).hello, imageRefs.hello, "the same sources give the same digest");
        assert.equal((await client.getManifest(imageRefs.hello)).digest, digest);
    });

    it("refresh notices a moved tag", async () => {
        const { name } = splitRef(imageRefs.hello);
        const other = await client.getManifest(imageRefs.hello);
        // Point hello:latest at another manifest: one of the index's own images.
        const child = other.manifest.manifests?.[0].digest ?? "";
        const childBytes = await (await fetch(`http://${name.replace("/", "/v2/")}/manifests/${child}`, { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } })).arrayBuffer();
        const put = await fetch(`http://${name.replace("/", "/v2/")}/manifests/latest`, {
            method: "PUT",
            headers: { "Content-Type": "application/vnd.oci.image.manifest.v1+json" },
            body: Buffer.from(childBytes),
        });
        assert.equal(put.status, 201);

        await test.stack.refresh();
        const preview = await test.stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
        await test.stack.up();
        assert.equal((await client.getManifest(`${name}:latest`)).digest, splitRef(imageRefs.hello).digest);
    });

    it("destroys the stack", async () => {
        const result = await test.stack.destroy();
        assert.deepEqual(result.summary.resourceChanges, { delete: 3 });
        assert.deepEqual(await resourceTypes(test.stack), []);
        // Images stay in the registry: a running workload may still pull them.
        assert.equal((await client.getManifest(imageRefs.hello)).digest, splitRef(imageRefs.hello).digest);
        assert.ok(!(await resourceTypes(test.stack)).includes(koImageType));
    });
});

describe("pulumi up with a disabled entry", { timeout: 600_000 }, () => {
    let test: TestStack;

    before(async () => {
        test = await createTestStack("disabled", { goreleaserConfig: "test/fixtures/disabled-entry/.goreleaser.yaml" });
    });
    after(async () => {
        await test?.dispose();
    });

    it("publishes only the enabled entry", async () => {
        delete process.env.KOS_PUBLISH_SKIPPED;
        const result = await test.stack.up();
        assert.deepEqual(Object.keys(result.outputs.imageRefs.value as Record<string, string>), ["published"]);
        assert.deepEqual(Object.keys(await resourceOutputs(test.stack, koImageType)), ["published"]);
        await assertMissing(new RegistryClient(), `${test.registry.address}/e2e/skipped:latest`);
    });
});
