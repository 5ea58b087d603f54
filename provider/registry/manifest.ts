import { createHash } from "node:crypto";

/** Media types of image indexes: an OCI index and a Docker manifest list. */
export const indexMediaTypes: readonly string[] = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

/** Media types of single-platform image manifests, OCI and Docker schema 2. */
export const imageManifestMediaTypes: readonly string[] = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"];

/** Manifest media types this client requests and copies, sent as the `Accept` header. */
export const manifestMediaTypes: readonly string[] = [...indexMediaTypes, ...imageManifestMediaTypes];

/**
 * Layer media types that registries may refuse to store, such as Windows base layers that are
 * downloaded from the `urls` of their descriptor. Copies skip them, as crane does by default.
 */
const nonDistributableLayerPrefixes = ["application/vnd.docker.image.rootfs.foreign.", "application/vnd.oci.image.layer.nondistributable."];

/** A content descriptor: the digest, media type and size that a manifest records for a blob or child manifest. */
export interface Descriptor {
    readonly digest: string;
    readonly mediaType: string;
    readonly size?: number;
    readonly urls?: readonly string[];
}

/** The fields of image manifests and indexes that this project reads. */
export interface ManifestDocument {
    readonly mediaType?: string;
    readonly manifests?: readonly {
        readonly digest: string;
        readonly mediaType: string;
        readonly size?: number;
        readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
        readonly annotations?: Record<string, string>;
    }[];
    readonly config?: { readonly digest: string; readonly mediaType: string; readonly size?: number };
    readonly layers?: readonly { readonly digest: string; readonly mediaType: string; readonly size: number; readonly urls?: readonly string[] }[];
    readonly annotations?: Record<string, string>;
}

/** A manifest as the registry serves it. */
export interface FetchedManifest {
    /** `sha256:<hex>` of the exact bytes served. */
    readonly digest: string;
    readonly mediaType: string;
    /** The parsed JSON document. */
    readonly manifest: ManifestDocument;
    /** The exact bytes served; a copy must push these unchanged to keep the digest. */
    readonly bytes: Buffer;
}

/** Returns `sha256:<hex>` of `bytes`. */
export function sha256Digest(bytes: Uint8Array): string {
    return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Checks whether a manifest of this media type lists child manifests rather than a config and layers. */
export function isIndexMediaType(mediaType: string): boolean {
    return indexMediaTypes.includes(mediaType);
}

/** Checks whether registries are expected to store a layer of this media type. */
export function isDistributableLayer(layer: Descriptor): boolean {
    return !nonDistributableLayerPrefixes.some((prefix) => layer.mediaType.startsWith(prefix));
}

/**
 * Picks the media type of a served manifest: the document's own `mediaType` field, else the
 * response's `Content-Type` without parameters, else an index or image by the document's shape.
 */
export function manifestMediaType(manifest: ManifestDocument, contentType: string | null): string {
    if (manifest.mediaType) return manifest.mediaType;
    const fromHeader = contentType?.split(";")[0].trim();
    if (fromHeader && fromHeader !== "application/json" && fromHeader !== "text/plain") return fromHeader;
    return manifest.manifests ? indexMediaTypes[0] : imageManifestMediaTypes[0];
}
