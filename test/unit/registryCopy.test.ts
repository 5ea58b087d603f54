import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RegistryClient, RegistryError, type FetchedManifest } from "../../provider/registry/client";
import { copyImage } from "../../provider/registry/copy";
import { pushTestImage, pushTestIndex } from "../support/registryImages";
import { startTestRegistry, type TestRegistry } from "../support/registryServer";

/** Creates a client that ignores the machine's docker config, so that every request is anonymous. */
function anonymousClient(): RegistryClient {
    return new RegistryClient({ env: { PATH: process.env.PATH, DOCKER_CONFIG: "/nonexistent-pulumi-kos-docker-config" } });
}

/** Asserts that `repository` has the manifest with `digest`, and each manifest, config and layer below it. */
async function assertCompleteCopy(client: RegistryClient, repository: string, digest: string): Promise<void> {
    const head = await client.headManifest(`${repository}@${digest}`);
    assert.ok(head, `${repository}@${digest} is missing`);
    const fetched: FetchedManifest = await client.getManifest(`${repository}@${digest}`);
    for (const child of fetched.manifest.manifests ?? []) {
        await assertCompleteCopy(client, repository, child.digest);
    }
    const blobs = [fetched.manifest.config, ...(fetched.manifest.layers ?? [])].filter((blob) => blob !== undefined);
    for (const blob of blobs) {
        assert.equal(await client.blobExists(repository, blob.digest), true, `blob ${blob.digest} is missing from ${repository}`);
    }
}

describe("copyImage", () => {
    let source: TestRegistry;
    let other: TestRegistry;
    let imageDigest: string;
    let indexDigest: string;
    const client = anonymousClient();

    before(async () => {
        [source, other] = await Promise.all([startTestRegistry(), startTestRegistry()]);
        imageDigest = pushTestImage(`${source.address}/src/single:v1`);
        indexDigest = pushTestIndex(`${source.address}/src/multi`, "v1");
    });

    after(async () => {
        await Promise.all([source?.stop(), other?.stop()]);
    });

    it("copies an image within a registry", async () => {
        const copied = await copyImage(`${source.address}/src/single:v1`, `${source.address}/dst/single:copy`, { client });

        assert.equal(copied, `${source.address}/dst/single@${imageDigest}`);
        assert.equal((await client.headManifest(`${source.address}/dst/single:copy`))?.digest, imageDigest);
        await assertCompleteCopy(client, `${source.address}/dst/single`, imageDigest);
    });

    it("copies a two-platform index within a registry", async () => {
        const copied = await copyImage(`${source.address}/src/multi:v1`, `${source.address}/dst/multi:copy`, { client });

        assert.equal(copied, `${source.address}/dst/multi@${indexDigest}`);
        const index = await client.getManifest(`${source.address}/dst/multi:copy`);
        assert.equal(index.digest, indexDigest);
        assert.equal(index.manifest.manifests?.length, 2);
        await assertCompleteCopy(client, `${source.address}/dst/multi`, indexDigest);
    });

    it("copies a two-platform index to another registry", async () => {
        const copied = await copyImage(`${source.address}/src/multi@${indexDigest}`, `${other.address}/mirror/multi:v1`, { client });

        assert.equal(copied, `${other.address}/mirror/multi@${indexDigest}`);
        const index = await client.getManifest(`${other.address}/mirror/multi:v1`);
        assert.equal(index.digest, indexDigest);
        assert.deepEqual(
            index.manifest.manifests?.map((child) => `${child.platform?.os}/${child.platform?.architecture}`),
            ["linux/amd64", "linux/arm64"],
        );
        await assertCompleteCopy(client, `${other.address}/mirror/multi`, indexDigest);
    });

    it("copies a single image to another registry", async () => {
        const copied = await copyImage(`${source.address}/src/single:v1`, `${other.address}/mirror/single:v1`, { client, concurrency: 1 });

        assert.equal(copied, `${other.address}/mirror/single@${imageDigest}`);
        await assertCompleteCopy(client, `${other.address}/mirror/single`, imageDigest);
    });

    it("copies again onto an existing copy", async () => {
        await copyImage(`${source.address}/src/multi:v1`, `${other.address}/again/multi:v1`, { client });
        const copied = await copyImage(`${source.address}/src/multi:v1`, `${other.address}/again/multi:v2`, { client });

        assert.equal(copied, `${other.address}/again/multi@${indexDigest}`);
        assert.deepEqual((await client.listTags(`${other.address}/again/multi`)).sort(), ["v1", "v2"]);
    });

    it("rejects a destination with a digest", async () => {
        await assert.rejects(copyImage(`${source.address}/src/single:v1`, `${other.address}/x@${imageDigest}`, { client }), /invalid copy destination .*use <repository>:<tag>/);
    });

    it("reports a missing source tag", async () => {
        await assert.rejects(copyImage(`${source.address}/src/single:missing`, `${other.address}/x:v1`, { client }), (error: unknown) => {
            assert.ok(error instanceof RegistryError);
            assert.equal(error.status, 404);
            assert.equal(error.code, "MANIFEST_UNKNOWN");
            assert.match(error.message, /GET http:\/\/127\.0\.0\.1:\d+\/v2\/src\/single\/manifests\/missing failed: HTTP 404 MANIFEST_UNKNOWN/);
            return true;
        });
    });
});
