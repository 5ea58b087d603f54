import { RegistryAuthorizer, registryBaseUrl, repositoryScope, type AccessScope, type RepositoryAction } from "./auth";
import { DockerKeychain, type RegistryAuth } from "./credentials";
import { hintFor, parseErrorBody, RegistryError, unreachableError } from "./errors";
import { manifestMediaType, manifestMediaTypes, sha256Digest, type FetchedManifest, type ManifestDocument } from "./manifest";
import { parseImageReference, type ImageReference } from "./reference";

export { RegistryError } from "./errors";
export type { FetchedManifest, ManifestDocument } from "./manifest";

/** Retries of a request after a dropped connection or a transient status, on top of the first attempt. */
const maxTransientRetries = 2;
/** Delay before the first retry; each further retry waits twice as long. */
const retryDelayMs = 500;
/** Statuses that a registry or its proxy returns for a passing overload. */
const transientStatuses: readonly number[] = [429, 502, 503, 504];

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions {
    /** Explicit credentials, looked up before the docker config. */
    readonly registryAuth?: readonly RegistryAuth[];
    /** Environment for finding the docker config and running credential helpers. Default: `process.env`. */
    readonly env?: NodeJS.ProcessEnv;
}

/** Digest, media type and size of a manifest, from a `HEAD` request. */
export interface ManifestHead {
    /** `sha256:<hex>` of the manifest bytes. */
    readonly digest: string;
    readonly mediaType: string;
    /** Length in bytes, when the registry sent `Content-Length`. */
    readonly size?: number;
}

/** Blob content to upload: bytes, or a stream of the given length. */
export interface BlobContent {
    readonly body: Uint8Array | ReadableStream<Uint8Array>;
    /** Length in bytes; sent as `Content-Length` when known. */
    readonly size?: number;
}

/** A registry and repository, given as a reference string or a parsed reference; tags and digests are ignored. */
export type RepositoryLocator = string | ImageReference;

/** One request to the registry API, sent by {@link RegistryClient.send}. */
interface RegistryRequest {
    readonly method: "GET" | "HEAD" | "PUT" | "POST" | "DELETE";
    readonly url: string;
    readonly access: AccessScope;
    readonly action: RepositoryAction;
    /** Statuses that count as success; any other status raises a RegistryError. */
    readonly expected: readonly number[];
    readonly headers?: Record<string, string>;
    /** Opens the body; called again when the request is retried after a 401, so streams can be reopened. */
    readonly openBody?: () => Promise<BlobContent>;
}

/** Tags requested per page of `GET /tags/list`; the registry may send fewer. */
const defaultTagsPageSize = 1000;

/**
 * A client of the OCI distribution API (the registry HTTP API v2) for one or more registries.
 *
 * It finds credentials with a {@link DockerKeychain}, that is explicit `registryAuth` entries,
 * then the docker config, then anonymous, and authenticates with HTTP Basic or bearer tokens, as
 * each registry's challenge requests. Registries on `localhost` and loopback addresses are reached
 * over plain HTTP, all others over HTTPS. Failures raise {@link RegistryError} with the method,
 * URL, HTTP status, the registry's error code and the likely fix, and never with a secret.
 *
 * One client caches credentials and tokens, so reuse it for related requests.
 */
export class RegistryClient {
    private readonly authorizer: RegistryAuthorizer;

    constructor(options: RegistryClientOptions = {}) {
        this.authorizer = new RegistryAuthorizer(new DockerKeychain({ registryAuth: options.registryAuth, env: options.env }));
    }

    /** Returns the digest and media type of a tag or digest reference, or undefined when the registry has no such manifest. */
    async headManifest(reference: string | ImageReference): Promise<ManifestHead | undefined> {
        const ref = toReference(reference);
        const response = await this.send({
            method: "HEAD",
            url: this.repositoryUrl(ref, `manifests/${manifestTarget(ref)}`),
            ...this.access(ref, "pull"),
            expected: [200, 404],
            headers: { Accept: manifestMediaTypes.join(", ") },
        });
        if (response.status === 404) return undefined;

        const digest = response.headers.get("docker-content-digest");
        const mediaType = response.headers.get("content-type")?.split(";")[0].trim();
        if (!digest || !mediaType) {
            // The distribution specification makes the digest header optional; hashing the body is the fallback.
            const fetched = await this.getManifest(ref);
            return { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.bytes.length };
        }
        const length = Number(response.headers.get("content-length"));
        return { digest, mediaType, size: Number.isFinite(length) && length > 0 ? length : undefined };
    }

    /**
     * Fetches a manifest by tag or digest reference. For a digest reference, the bytes served
     * must hash to that digest.
     */
    async getManifest(reference: string | ImageReference): Promise<FetchedManifest> {
        const ref = toReference(reference);
        const url = this.repositoryUrl(ref, `manifests/${manifestTarget(ref)}`);
        const response = await this.send({ method: "GET", url, ...this.access(ref, "pull"), expected: [200], headers: { Accept: manifestMediaTypes.join(", ") } });
        const bytes = Buffer.from(await response.arrayBuffer());
        const digest = sha256Digest(bytes);
        if (ref.digest && digest !== ref.digest) {
            throw new RegistryError(`GET ${url} returned a manifest whose digest is ${digest}, not the requested ${ref.digest}: the registry or a proxy altered it`, response.status);
        }
        let manifest: ManifestDocument;
        try {
            manifest = JSON.parse(bytes.toString("utf8")) as ManifestDocument;
        } catch {
            throw new RegistryError(`GET ${url} returned a manifest that is not valid JSON: check that the reference names an image`, response.status);
        }
        return { digest, mediaType: manifestMediaType(manifest, response.headers.get("content-type")), manifest, bytes };
    }

    /**
     * Uploads a manifest under the reference's tag, or under its digest when it has no tag. The
     * bytes are sent unchanged, so the digest is `sha256` of `bytes`. Returns that digest. Every
     * blob and child manifest it refers to must already be in the repository.
     */
    async putManifest(reference: string | ImageReference, bytes: Uint8Array, mediaType: string): Promise<string> {
        const ref = toReference(reference);
        const digest = sha256Digest(bytes);
        if (ref.digest && ref.digest !== digest) {
            throw new RegistryError(`cannot put the manifest as ${ref.registry}/${ref.repository}@${ref.digest}: its bytes hash to ${digest}; use a tag or the matching digest`);
        }
        const url = this.repositoryUrl(ref, `manifests/${ref.tag ?? ref.digest}`);
        const content = Buffer.from(bytes);
        const response = await this.send({
            method: "PUT",
            url,
            ...this.access(ref, "pull,push"),
            expected: [200, 201],
            headers: { "Content-Type": mediaType },
            openBody: async () => ({ body: content, size: content.length }),
        });
        await response.body?.cancel();
        const served = response.headers.get("docker-content-digest");
        if (served && served !== digest) {
            throw new RegistryError(`PUT ${url} stored the manifest as ${served}, not ${digest}: the registry rewrote it`, response.status);
        }
        return digest;
    }

    /**
     * Lists every tag of a repository such as `ghcr.io/acme/app`, following the registry's
     * `Link` pagination. `pageSize` is the number of tags requested per page (default 1000).
     */
    async listTags(repository: RepositoryLocator, options: { readonly pageSize?: number } = {}): Promise<string[]> {
        const ref = toReference(repository);
        const tags: string[] = [];
        let url: string | undefined = this.repositoryUrl(ref, `tags/list?n=${options.pageSize ?? defaultTagsPageSize}`);
        while (url) {
            const response = await this.send({ method: "GET", url, ...this.access(ref, "pull"), expected: [200] });
            const page = (await response.json()) as { tags?: string[] | null };
            tags.push(...(page.tags ?? []));
            url = nextPageUrl(response.headers.get("link"), url);
        }
        return tags;
    }

    /** Fetches a blob, such as an image config, and parses it as JSON. */
    async getJsonBlob<T>(repositoryRef: RepositoryLocator, digest: string): Promise<T> {
        const bytes = await this.getBlob(repositoryRef, digest);
        return JSON.parse(bytes.toString("utf8")) as T;
    }

    /** Fetches a whole blob into memory and checks it against its digest; meant for configs and other small blobs. */
    async getBlob(repositoryRef: RepositoryLocator, digest: string): Promise<Buffer> {
        const ref = toReference(repositoryRef);
        const url = this.repositoryUrl(ref, `blobs/${digest}`);
        const response = await this.send({ method: "GET", url, ...this.access(ref, "pull"), expected: [200] });
        const bytes = Buffer.from(await response.arrayBuffer());
        if (digest.startsWith("sha256:") && sha256Digest(bytes) !== digest) {
            throw new RegistryError(`GET ${url} returned content whose digest is ${sha256Digest(bytes)}, not ${digest}: the blob is corrupt`, response.status);
        }
        return bytes;
    }

    /** Opens a blob as a stream; the caller must read or cancel it. */
    async openBlob(repositoryRef: RepositoryLocator, digest: string): Promise<BlobContent> {
        const ref = toReference(repositoryRef);
        const response = await this.send({ method: "GET", url: this.repositoryUrl(ref, `blobs/${digest}`), ...this.access(ref, "pull"), expected: [200] });
        const length = Number(response.headers.get("content-length"));
        if (!response.body) return { body: new Uint8Array(0), size: 0 };
        return { body: response.body, size: Number.isFinite(length) && response.headers.has("content-length") ? length : undefined };
    }

    /** Whether the repository has the blob (`HEAD /blobs/<digest>` returns 200). */
    async blobExists(repositoryRef: RepositoryLocator, digest: string): Promise<boolean> {
        const ref = toReference(repositoryRef);
        const response = await this.send({ method: "HEAD", url: this.repositoryUrl(ref, `blobs/${digest}`), ...this.access(ref, "pull"), expected: [200, 404] });
        return response.status === 200;
    }

    /**
     * Asks the registry to link a blob of `sourceRepository` into `destination` without
     * transferring it (`POST /blobs/uploads/?mount=<digest>&from=<source>`). Both must be on the
     * same registry. Returns false when the registry declined, for example because the caller
     * may not pull from the source. The upload session it then opened is cancelled.
     */
    async mountBlob(destination: RepositoryLocator, digest: string, sourceRepository: string): Promise<boolean> {
        const ref = toReference(destination);
        const query = new URLSearchParams({ mount: digest, from: sourceRepository });
        const url = this.repositoryUrl(ref, `blobs/uploads/?${query.toString()}`);
        const response = await this.send({
            method: "POST",
            url,
            access: {
                registry: ref.registry,
                repository: ref.repository,
                scopes: [repositoryScope(ref.repository, "pull,push"), repositoryScope(sourceRepository, "pull")],
            },
            action: "pull,push",
            expected: [201, 202],
            openBody: async () => ({ body: new Uint8Array(0), size: 0 }),
        });
        await response.body?.cancel();
        if (response.status === 201) return true;

        const location = response.headers.get("location");
        if (location) {
            // Best effort: an abandoned session only costs the registry until its upload purge runs.
            await this.send({ method: "DELETE", url: new URL(location, url).toString(), ...this.access(ref, "pull,push"), expected: [200, 202, 204, 404] })
                .then((cancel) => cancel.body?.cancel())
                .catch(() => undefined);
        }
        return false;
    }

    /**
     * Uploads a blob in one request: `POST /blobs/uploads/` opens a session and
     * `PUT <location>?digest=<digest>` sends the content, which the registry checks against the
     * digest. `openContent` is called for each attempt (a second one follows a 401 with an
     * expired token), so it can return a fresh stream each time.
     */
    async uploadBlob(repositoryRef: RepositoryLocator, digest: string, openContent: () => Promise<BlobContent>): Promise<void> {
        const ref = toReference(repositoryRef);
        const start = this.repositoryUrl(ref, "blobs/uploads/");
        const session = await this.send({
            method: "POST",
            url: start,
            ...this.access(ref, "pull,push"),
            expected: [202],
            openBody: async () => ({ body: new Uint8Array(0), size: 0 }),
        });
        await session.body?.cancel();
        const location = session.headers.get("location");
        if (!location) {
            throw new RegistryError(`POST ${start} opened an upload without a Location header: the registry does not follow the distribution API`, session.status);
        }

        const uploadUrl = new URL(location, start);
        uploadUrl.searchParams.set("digest", digest);
        const done = await this.send({
            method: "PUT",
            url: uploadUrl.toString(),
            ...this.access(ref, "pull,push"),
            expected: [201, 204],
            headers: { "Content-Type": "application/octet-stream" },
            openBody: openContent,
        });
        await done.body?.cancel();
    }

    /** Builds the API URL of a resource below `/v2/<repository>/`. */
    private repositoryUrl(ref: ImageReference, resource: string): string {
        return `${registryBaseUrl(ref.registry)}${ref.repository}/${resource}`;
    }

    private access(ref: ImageReference, action: RepositoryAction): { access: AccessScope; action: RepositoryAction } {
        return { access: { registry: ref.registry, repository: ref.repository, scopes: [repositoryScope(ref.repository, action)] }, action };
    }

    /**
     * Sends one request with the authorization the registry requests. A 401 response is retried
     * once with fresh authorization, because tokens expire and a registry may change its
     * challenge per repository. A dropped connection, 429 and 502–504 are retried up to
     * {@link maxTransientRetries} times with a growing delay, as go-containerregistry's transport
     * (and so ko) does; the body is opened anew for each attempt. Any status outside `expected`
     * raises a RegistryError.
     *
     * NOTE: requests have no timeout, so a registry that accepts the connection and never responds
     * blocks the operation until Pulumi or the user stops it.
     */
    private async send(request: RegistryRequest): Promise<Response> {
        const registryHost = new URL(registryBaseUrl(request.access.registry)).host;
        let transientRetries = 0;
        for (let attempt = 1; ; attempt++) {
            const headers: Record<string, string> = { ...request.headers };
            // Credentials go only to the registry itself, never to another host that a Location names.
            if (new URL(request.url).host === registryHost) {
                const authorization = await this.authorizer.authorization(request.access);
                if (authorization) headers.Authorization = authorization;
            }
            const content = request.openBody ? await request.openBody() : undefined;
            if (content?.size !== undefined) headers["Content-Length"] = String(content.size);

            let response: Response;
            try {
                response = await fetch(request.url, {
                    method: request.method,
                    headers,
                    body: content?.body,
                    ...(content?.body instanceof ReadableStream ? { duplex: "half" } : {}),
                } as RequestInit);
            } catch (error) {
                if (content?.body instanceof ReadableStream) await content.body.cancel().catch(() => undefined);
                if (transientRetries < maxTransientRetries) {
                    await delay(retryDelayMs * 2 ** transientRetries++);
                    continue;
                }
                throw unreachableError(request.method, displayUrl(request.url), request.access.registry, error);
            }

            // A body that the request left unread, such as a source blob after an early error, is closed here.
            if (content?.body instanceof ReadableStream && !content.body.locked) await content.body.cancel().catch(() => undefined);

            if (response.status === 401 && attempt === 1) {
                await response.body?.cancel();
                this.authorizer.rejected(request.access, response.headers.get("www-authenticate"));
                continue;
            }
            if (request.expected.includes(response.status)) return response;
            if (transientStatuses.includes(response.status) && transientRetries < maxTransientRetries) {
                await response.body?.cancel();
                await delay(retryDelayMs * 2 ** transientRetries++);
                continue;
            }
            throw await this.errorFor(request, response);
        }
    }

    /** Builds the RegistryError for an unexpected response, scrubbed of every secret. */
    private async errorFor(request: RegistryRequest, response: Response): Promise<RegistryError> {
        const body = request.method === "HEAD" ? "" : await response.text().catch(() => "");
        const parsed = parseErrorBody(body);
        const code = parsed.code ?? codeForStatus(response.status);
        // Only an authentication failure needs the credential source, and looking it up may run a helper.
        const authenticationFailed = response.status === 401 || response.status === 403;
        const credentialSource = authenticationFailed ? await this.authorizer.credentialSource(request.access).catch(() => undefined) : undefined;
        const hint = hintFor(response.status, code, {
            registry: request.access.registry,
            repository: request.access.repository,
            credentialSource,
            write: request.action === "pull,push",
        });
        let detail = "";
        if (parsed.text && parsed.text !== code) detail = ` ${parsed.text}`;
        else if (code) detail = ` ${code}`;
        const message = `${request.method} ${displayUrl(request.url)} failed: HTTP ${response.status}${detail}; ${hint}`;
        return new RegistryError(this.authorizer.redact(message), response.status, code);
    }
}

function toReference(reference: string | ImageReference): ImageReference {
    return typeof reference === "string" ? parseImageReference(reference) : reference;
}

/** Returns the path element after `manifests/`: the digest when the reference has one, else the tag. */
function manifestTarget(ref: ImageReference): string {
    return ref.digest ?? ref.tag ?? "latest";
}

/** Guesses the registry error code of a response without a body, such as a `HEAD` response. */
function codeForStatus(status: number): string | undefined {
    if (status === 401) return "UNAUTHORIZED";
    if (status === 403) return "DENIED";
    if (status === 429) return "TOOMANYREQUESTS";
    return undefined;
}

/** Drops the query from a URL for messages, because for uploads it carries the registry's opaque session state. */
function displayUrl(url: string): string {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
}

/** Reads the `rel="next"` target of a `Link` header, resolved against the current page. */
function nextPageUrl(link: string | null, current: string): string | undefined {
    const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
    return match ? new URL(match[1], current).toString() : undefined;
}
