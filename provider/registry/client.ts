import { createHash } from "node:crypto";
import { parseImageReference, usesPlainHttp, type ImageReference } from "./reference";

/** Manifest media types this client asks for: OCI and Docker, images and indexes. */
const manifestMediaTypes = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/** A manifest as the registry serves it. */
export interface FetchedManifest {
    /** `sha256:<hex>` of the exact bytes served. */
    readonly digest: string;
    readonly mediaType: string;
    /** The parsed JSON document. */
    readonly manifest: ManifestDocument;
}

/** The fields of image manifests and indexes that this project reads. */
export interface ManifestDocument {
    readonly mediaType?: string;
    readonly manifests?: readonly {
        readonly digest: string;
        readonly mediaType: string;
        readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
        readonly annotations?: Record<string, string>;
    }[];
    readonly config?: { readonly digest: string; readonly mediaType: string };
    readonly layers?: readonly { readonly digest: string; readonly mediaType: string; readonly size: number }[];
    readonly annotations?: Record<string, string>;
}

/** Raised for registry answers other than success; `status` 404 means the manifest is not there. */
export class RegistryError extends Error {
    constructor(
        message: string,
        readonly status?: number,
    ) {
        super(message);
        this.name = "RegistryError";
    }
}

/**
 * Reads manifests and blobs over the OCI distribution API, anonymously or with bearer tokens
 * that the registry hands out to anonymous callers.
 */
export class RegistryClient {
    private readonly tokens = new Map<string, string>();

    /** Fetches a manifest by tag or digest reference. */
    async getManifest(reference: string | ImageReference): Promise<FetchedManifest> {
        const ref = typeof reference === "string" ? parseImageReference(reference) : reference;
        const response = await this.request(ref, `manifests/${ref.digest ?? ref.tag}`, { Accept: manifestMediaTypes.join(", ") });
        const body = Buffer.from(await response.arrayBuffer());
        const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
        const manifest = JSON.parse(body.toString("utf8")) as ManifestDocument;
        const mediaType = manifest.mediaType ?? response.headers.get("content-type") ?? "";
        return { digest, mediaType, manifest };
    }

    /** Fetches a blob, such as an image config, and parses it as JSON. */
    async getJsonBlob<T>(repositoryRef: string | ImageReference, digest: string): Promise<T> {
        const ref = typeof repositoryRef === "string" ? parseImageReference(repositoryRef) : repositoryRef;
        const response = await this.request(ref, `blobs/${digest}`, {});
        return (await response.json()) as T;
    }

    private async request(ref: ImageReference, resource: string, headers: Record<string, string>): Promise<Response> {
        const scheme = usesPlainHttp(ref.registry) ? "http" : "https";
        const url = `${scheme}://${ref.registry}/v2/${ref.repository}/${resource}`;
        const scopeKey = `${ref.registry}/${ref.repository}`;
        let response = await this.fetchOnce(url, headers, this.tokens.get(scopeKey));
        if (response.status === 401) {
            const token = await this.fetchToken(response.headers.get("www-authenticate"), ref);
            if (token) {
                this.tokens.set(scopeKey, token);
                response = await this.fetchOnce(url, headers, token);
            }
        }
        if (!response.ok) {
            throw new RegistryError(`GET ${url} failed: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`, response.status);
        }
        return response;
    }

    private async fetchOnce(url: string, headers: Record<string, string>, token: string | undefined): Promise<Response> {
        try {
            return await fetch(url, { headers: token ? { ...headers, Authorization: `Bearer ${token}` } : headers });
        } catch (error) {
            const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
            throw new RegistryError(`GET ${url} failed: ${cause}; check that the registry is running and reachable`);
        }
    }

    /** Follows a `Bearer realm=…,service=…,scope=…` challenge for an anonymous pull token. */
    private async fetchToken(challenge: string | null, ref: ImageReference): Promise<string | undefined> {
        if (!challenge?.startsWith("Bearer ")) return undefined;
        const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
        if (!params.realm) return undefined;
        const url = new URL(params.realm);
        if (params.service) url.searchParams.set("service", params.service);
        url.searchParams.set("scope", params.scope ?? `repository:${ref.repository}:pull`);
        const response = await fetch(url);
        if (!response.ok) return undefined;
        const body = (await response.json()) as { token?: string; access_token?: string };
        return body.token ?? body.access_token;
    }
}
