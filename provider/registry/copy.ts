import { RegistryClient, RegistryError } from "./client";
import { isDistributableLayer, isIndexMediaType, type Descriptor, type FetchedManifest } from "./manifest";
import { parseImageReference, type ImageReference } from "./reference";

/** Options of {@link copyImage}. */
export interface CopyImageOptions {
    /** Client to use, for its credentials and token cache. Default: a new client with the default keychain. */
    readonly client?: RegistryClient;
    /** Maximum number of blob transfers in flight at once. Default: 4. */
    readonly concurrency?: number;
}

/** Outcome of one blob transfer: already in the destination, mounted, or uploaded. */
type BlobCopyOutcome = "present" | "mounted" | "uploaded";

const defaultConcurrency = 4;

/**
 * Copies an image or an image index from `source` (a tag or digest reference) to `destination`
 * (`<repository>:<tag>`), on the same registry or across registries, as `crane copy` does.
 * Manifests are pushed byte for byte, so the destination has the source's digest. For an index,
 * every child manifest is copied with its config and layers. Blobs already in the destination
 * are skipped, blobs on the same registry are mounted from the source repository, and others are
 * streamed from the source to the destination without being held in memory. Layers marked as
 * non-distributable (foreign Windows layers) are not copied, because registries may refuse them.
 *
 * Returns the destination as a digest reference, `<registry>/<repository>@sha256:<hex>`.
 */
export async function copyImage(source: string, destination: string, options: CopyImageOptions = {}): Promise<string> {
    const from = parseImageReference(source);
    const to = parseImageReference(destination);
    if (to.digest !== undefined) {
        throw new Error(`invalid copy destination ${JSON.stringify(destination)}: use <repository>:<tag>, without a digest, because the copy keeps the source's digest`);
    }
    const concurrency = options.concurrency ?? defaultConcurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new Error(`invalid concurrency ${concurrency} for copyImage: use a whole number of at least 1`);
    }

    const copier = new ImageCopier(options.client ?? new RegistryClient(), from, to, concurrency);
    const root = await copier.client.getManifest(from);
    if (!(await copier.destinationHasManifest(root.digest))) {
        await copier.copyReferencedContent(root);
    }
    await copier.client.putManifest(to, root.bytes, root.mediaType);
    return `${to.registry}/${to.repository}@${root.digest}`;
}

/** The state of one copy: the shared client, the blob transfers started, and the transfer limit. */
class ImageCopier {
    private readonly blobCopies = new Map<string, Promise<BlobCopyOutcome>>();
    private readonly limit: ConcurrencyLimit;

    constructor(
        readonly client: RegistryClient,
        private readonly from: ImageReference,
        private readonly to: ImageReference,
        concurrency: number,
    ) {
        this.limit = new ConcurrencyLimit(concurrency);
    }

    async destinationHasManifest(digest: string): Promise<boolean> {
        return (await this.client.headManifest(this.at(this.to, digest))) !== undefined;
    }

    /** Copies what a manifest refers to: child manifests of an index, or the config and layers of an image. */
    async copyReferencedContent(fetched: FetchedManifest): Promise<void> {
        const { manifest } = fetched;
        if (isIndexMediaType(fetched.mediaType) || manifest.manifests) {
            await Promise.all((manifest.manifests ?? []).map((child) => this.copyChildManifest(child)));
            return;
        }
        if (!manifest.config) {
            throw new RegistryError(
                `cannot copy ${this.from.registry}/${this.from.repository}@${fetched.digest}: its manifest (${fetched.mediaType}) has neither child manifests nor a config; only OCI and Docker schema 2 images and indexes are supported`,
            );
        }
        const blobs: Descriptor[] = [manifest.config, ...(manifest.layers ?? []).filter(isDistributableLayer)];
        await Promise.all(blobs.map((blob) => this.copyBlob(blob.digest)));
    }

    private async copyChildManifest(child: Descriptor): Promise<void> {
        if (await this.destinationHasManifest(child.digest)) return;
        const fetched = await this.client.getManifest(this.at(this.from, child.digest));
        await this.copyReferencedContent(fetched);
        await this.client.putManifest(this.at(this.to, child.digest), fetched.bytes, fetched.mediaType || child.mediaType);
    }

    /** Copies one blob once per copy, even when several images share it. */
    private copyBlob(digest: string): Promise<BlobCopyOutcome> {
        let pending = this.blobCopies.get(digest);
        if (!pending) {
            pending = this.limit.run(() => this.transferBlob(digest));
            this.blobCopies.set(digest, pending);
        }
        return pending;
    }

    private async transferBlob(digest: string): Promise<BlobCopyOutcome> {
        if (await this.client.blobExists(this.to, digest)) return "present";
        const canMount = this.from.registry === this.to.registry && this.from.repository !== this.to.repository;
        if (canMount && (await this.client.mountBlob(this.to, digest, this.from.repository))) return "mounted";
        await this.client.uploadBlob(this.to, digest, () => this.client.openBlob(this.from, digest));
        return "uploaded";
    }

    private at(ref: ImageReference, digest: string): ImageReference {
        return { registry: ref.registry, repository: ref.repository, digest };
    }
}

/** Runs at most `max` tasks at a time, in the order they were submitted. */
class ConcurrencyLimit {
    private running = 0;
    private readonly waiting: (() => void)[] = [];

    constructor(private readonly max: number) {}

    async run<T>(task: () => Promise<T>): Promise<T> {
        if (this.running >= this.max) {
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        } else {
            this.running++;
        }
        try {
            return await task();
        } finally {
            const next = this.waiting.shift();
            if (next) next();
            else this.running--;
        }
    }
}
