import * as http from "node:http";
import type { AddressInfo } from "node:net";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { findFreePort } from "../../cli/localRegistry";
import { RegistryClient, RegistryError } from "../../provider/registry/client";
import { sha256Digest } from "../../provider/registry/manifest";
import { pushTestImage } from "../support/registryImages";
import { startTestRegistry, type TestRegistry } from "../support/registryServer";

/** Creates a client that ignores the machine's docker config, so that every request is anonymous. */
function anonymousClient(): RegistryClient {
    return new RegistryClient({ env: { PATH: process.env.PATH, DOCKER_CONFIG: "/nonexistent-pulumi-kos-docker-config" } });
}

/** Builds a minimal OCI image: a config blob, one layer blob and the manifest bytes that name them. */
function minimalImage(layerText: string): { config: Buffer; layer: Buffer; manifest: Buffer } {
    const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }));
    const layer = Buffer.from(layerText);
    const manifest = Buffer.from(
        JSON.stringify({
            schemaVersion: 2,
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256Digest(config), size: config.length },
            layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256Digest(layer), size: layer.length }],
        }),
    );
    return { config, layer, manifest };
}

const ociManifest = "application/vnd.oci.image.manifest.v1+json";

describe("RegistryClient", () => {
    let registry: TestRegistry;
    let imageDigest: string;
    const client = anonymousClient();

    before(async () => {
        registry = await startTestRegistry();
        imageDigest = pushTestImage(`${registry.address}/acme/app:v1`);
    });

    after(async () => {
        await registry?.stop();
    });

    it("headManifest returns undefined for a missing tag", async () => {
        assert.equal(await client.headManifest(`${registry.address}/acme/app:missing`), undefined);
    });

    it("headManifest returns undefined for a missing repository", async () => {
        assert.equal(await client.headManifest(`${registry.address}/acme/nothing:v1`), undefined);
    });

    it("headManifest returns the digest and media type of a tag", async () => {
        const head = await client.headManifest(`${registry.address}/acme/app:v1`);

        assert.equal(head?.digest, imageDigest);
        assert.equal(head?.mediaType, ociManifest);
        assert.equal(head?.size, (await client.getManifest(`${registry.address}/acme/app:v1`)).bytes.length);
    });

    it("getManifest returns the exact bytes of the digest", async () => {
        const fetched = await client.getManifest(`${registry.address}/acme/app@${imageDigest}`);

        assert.equal(fetched.digest, imageDigest);
        assert.equal(sha256Digest(fetched.bytes), imageDigest);
        assert.equal(fetched.mediaType, ociManifest);
        assert.equal(fetched.manifest.layers?.length, 2);
    });

    it("getManifest names the URL and code of a missing tag", async () => {
        await assert.rejects(client.getManifest(`${registry.address}/acme/app:missing`), (error: unknown) => {
            assert.ok(error instanceof RegistryError);
            assert.equal(error.status, 404);
            assert.equal(error.code, "MANIFEST_UNKNOWN");
            assert.match(error.message, new RegExp(`^GET http://${registry.address}/v2/acme/app/manifests/missing failed: HTTP 404 MANIFEST_UNKNOWN`));
            assert.match(error.message, /check the repository name, tag and digest/);
            return true;
        });
    });

    it("uploads blobs and puts a manifest by tag", async () => {
        const image = minimalImage("hello from the upload test");
        const repository = `${registry.address}/acme/uploaded`;
        assert.equal(await client.blobExists(repository, sha256Digest(image.layer)), false);

        await client.uploadBlob(repository, sha256Digest(image.config), async () => ({ body: image.config, size: image.config.length }));
        await client.uploadBlob(repository, sha256Digest(image.layer), async () => ({ body: image.layer, size: image.layer.length }));
        const digest = await client.putManifest(`${repository}:v1`, image.manifest, ociManifest);

        assert.equal(digest, sha256Digest(image.manifest));
        assert.equal(await client.blobExists(repository, sha256Digest(image.layer)), true);
        assert.equal((await client.headManifest(`${repository}:v1`))?.digest, digest);
        assert.deepEqual(await client.getJsonBlob(repository, sha256Digest(image.config)), JSON.parse(image.config.toString("utf8")));
    });

    it("uploads a streamed blob", async () => {
        const content = Buffer.alloc(256 * 1024, 7);
        const repository = `${registry.address}/acme/streamed`;
        const stream = () =>
            new ReadableStream<Uint8Array>({
                start(controller) {
                    controller.enqueue(content.subarray(0, 1000));
                    controller.enqueue(content.subarray(1000));
                    controller.close();
                },
            });

        await client.uploadBlob(repository, sha256Digest(content), async () => ({ body: stream(), size: content.length }));

        assert.deepEqual(await client.getBlob(repository, sha256Digest(content)), content);
    });

    it("rejects a blob whose content does not match its digest", async () => {
        const repository = `${registry.address}/acme/corrupt`;
        const claimed = sha256Digest(Buffer.from("what the digest says"));

        await assert.rejects(
            client.uploadBlob(repository, claimed, async () => ({ body: Buffer.from("something else") })),
            (error: unknown) => error instanceof RegistryError && error.status === 400 && error.code === "DIGEST_INVALID",
        );
        assert.equal(await client.blobExists(repository, claimed), false);
    });

    it("putManifest reports a manifest whose blobs are missing", async () => {
        const image = minimalImage("never uploaded");

        await assert.rejects(client.putManifest(`${registry.address}/acme/incomplete:v1`, image.manifest, ociManifest), (error: unknown) => {
            assert.ok(error instanceof RegistryError);
            assert.equal(error.status, 400);
            assert.equal(error.code, "MANIFEST_BLOB_UNKNOWN");
            assert.match(error.message, /^PUT http:\/\/.*\/v2\/acme\/incomplete\/manifests\/v1 failed: HTTP 400 MANIFEST_BLOB_UNKNOWN/);
            assert.match(error.message, /push it first/);
            return true;
        });
    });

    it("putManifest rejects a digest that does not match the bytes", async () => {
        const image = minimalImage("any");

        await assert.rejects(client.putManifest(`${registry.address}/acme/app@${imageDigest}`, image.manifest, ociManifest), /its bytes hash to sha256:/);
    });

    it("mountBlob links a blob from another repository", async () => {
        const { manifest } = await client.getManifest(`${registry.address}/acme/app:v1`);
        const layer = manifest.layers?.[0]?.digest;
        assert.ok(layer);

        assert.equal(await client.mountBlob(`${registry.address}/acme/mounted`, layer, "acme/app"), true);
        assert.equal(await client.blobExists(`${registry.address}/acme/mounted`, layer), true);
    });

    it("mountBlob returns false for a blob the source lacks", async () => {
        const missing = sha256Digest(Buffer.from("not in any repository"));

        assert.equal(await client.mountBlob(`${registry.address}/acme/mounted`, missing, "acme/app"), false);
        assert.equal(await client.blobExists(`${registry.address}/acme/mounted`, missing), false);
    });

    it("listTags follows pagination", async () => {
        const repository = `${registry.address}/acme/tagged`;
        const image = minimalImage("tagged");
        await client.uploadBlob(repository, sha256Digest(image.config), async () => ({ body: image.config }));
        await client.uploadBlob(repository, sha256Digest(image.layer), async () => ({ body: image.layer }));
        for (const tag of ["a", "b", "c", "d", "e"]) await client.putManifest(`${repository}:${tag}`, image.manifest, ociManifest);

        assert.deepEqual((await client.listTags(repository, { pageSize: 2 })).sort(), ["a", "b", "c", "d", "e"]);
        assert.deepEqual((await client.listTags(repository)).sort(), ["a", "b", "c", "d", "e"]);
    });

    it("listTags reports an unknown repository", async () => {
        await assert.rejects(client.listTags(`${registry.address}/acme/nothing`), (error: unknown) => {
            assert.ok(error instanceof RegistryError);
            assert.equal(error.status, 404);
            assert.equal(error.code, "NAME_UNKNOWN");
            assert.match(error.message, /check the repository name/);
            return true;
        });
    });

    it("reports an unreachable registry", async () => {
        const closedPort = await findFreePort();

        await assert.rejects(client.getManifest(`127.0.0.1:${closedPort}/acme/app:v1`), (error: unknown) => {
            assert.ok(error instanceof RegistryError);
            assert.equal(error.status, undefined);
            assert.match(error.message, new RegExp(`the registry 127\\.0\\.0\\.1:${closedPort} is unreachable`));
            assert.match(error.message, /ECONNREFUSED/);
            return true;
        });
    });
});

describe("RegistryClient retries", () => {
    it("retries a transient 503", async () => {
        const manifest = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${"0".repeat(64)}`, size: 2 }, layers: [] });
        let manifestRequests = 0;
        const server = http.createServer((request, response) => {
            if (request.url?.includes("/manifests/")) {
                manifestRequests++;
                if (manifestRequests === 1) {
                    response.writeHead(503).end();
                    return;
                }
                response.writeHead(200, { "Content-Type": "application/vnd.oci.image.manifest.v1+json" }).end(manifest);
                return;
            }
            response.writeHead(200).end("{}");
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
        try {
            const { port } = server.address() as AddressInfo;
            const fetched = await new RegistryClient({ env: {} }).getManifest(`127.0.0.1:${port}/acme/app:v1`);
            assert.equal(fetched.mediaType, "application/vnd.oci.image.manifest.v1+json");
            assert.equal(manifestRequests, 2);
        } finally {
            server.close();
        }
    });
});
