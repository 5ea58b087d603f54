/**
 * Raised for registry responses other than success and for registries that cannot be reached.
 * `status` is the HTTP status (404 means the manifest or blob is not there), undefined when no
 * HTTP response arrived. `code` is the first error code of the registry's JSON error body, such
 * as `UNAUTHORIZED` or `MANIFEST_UNKNOWN`, when it sent one.
 */
export class RegistryError extends Error {
    constructor(
        message: string,
        readonly status?: number,
        readonly code?: string,
    ) {
        super(message);
        this.name = "RegistryError";
    }
}

/** One entry of the `errors` array that the OCI distribution API sends with a failed request. */
interface DistributionErrorEntry {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly detail?: unknown;
}

/** The registry's error code and message, read from a distribution error body. */
export interface ParsedErrorBody {
    readonly code?: string;
    /** The messages of all entries, or the start of the body when it is not a distribution error. */
    readonly text: string;
}

/** Maximum length of the excerpt of a non-JSON error body that a message quotes. */
const maxBodyExcerpt = 300;

/** Reads `{"errors":[{"code","message","detail"}]}`; any other body is kept as a short excerpt. */
export function parseErrorBody(body: string): ParsedErrorBody {
    let entries: DistributionErrorEntry[] | undefined;
    try {
        const parsed = JSON.parse(body) as { errors?: unknown };
        if (Array.isArray(parsed.errors)) entries = parsed.errors as DistributionErrorEntry[];
    } catch {
        entries = undefined;
    }
    if (!entries || entries.length === 0) {
        return { text: body.trim().replace(/\s+/g, " ").slice(0, maxBodyExcerpt) };
    }
    const code = entries.map((entry) => entry.code).find((value): value is string => typeof value === "string");
    const text = entries
        .map((entry) => {
            const parts = [typeof entry.code === "string" ? entry.code : undefined, typeof entry.message === "string" ? entry.message : undefined];
            return parts.filter((part) => part !== undefined && part !== "").join(": ");
        })
        .filter((part) => part !== "")
        .join("; ");
    return { code, text };
}

/** Context of a failed request, from which {@link hintFor} picks the fix. */
export interface ErrorContext {
    readonly registry: string;
    readonly repository?: string;
    /** Origin of the credentials, such as `auths["ghcr.io"] in ~/.docker/config.json`; undefined when anonymous. */
    readonly credentialSource?: string;
    /** Whether the request needed push access. */
    readonly write: boolean;
}

/** Suggests the fix for a failed request from its status and registry error code. */
export function hintFor(status: number, code: string | undefined, context: ErrorContext): string {
    const login = `docker login ${context.registry}`;
    if (status === 401 || code === "UNAUTHORIZED") {
        return context.credentialSource
            ? `the registry rejected the credentials from ${context.credentialSource}: check the user name and password, or log in again with \`${login}\``
            : `no credentials were found for ${context.registry}: log in with \`${login}\`, or pass registry credentials for it`;
    }
    if (status === 403 || code === "DENIED") {
        const access = context.write ? "push to" : "pull from";
        return `the registry denied access: check that ${context.credentialSource ? `the account of ${context.credentialSource}` : "an anonymous caller"} may ${access} ${context.repository ?? context.registry}`;
    }
    const repository = context.repository ? `${context.registry}/${context.repository}` : context.registry;
    if (code === "NAME_UNKNOWN") return `the repository ${repository} does not exist: check the repository name`;
    if (code === "MANIFEST_UNKNOWN") return "the tag or digest does not exist: check the repository name, tag and digest";
    if (code === "BLOB_UNKNOWN") return "the blob does not exist in this repository: check the repository name and digest";
    if (code === "MANIFEST_BLOB_UNKNOWN") return "the manifest refers to a blob or child manifest that is not in the repository: push it first";
    if (code === "DIGEST_INVALID") return "the uploaded content does not match its digest: the source may be corrupt";
    if (status === 404) return `not found in ${repository}: check the repository name and the tag or digest`;
    if (status === 429 || code === "TOOMANYREQUESTS") return "the registry limits the request rate: wait and try again";
    if (status >= 500) return "the registry failed: try again later, or read its logs";
    return "see the registry's message";
}

/**
 * Replaces each secret that occurs in `text` with `***`. Registries and token servers may echo
 * parts of a request in their error bodies, so every message built from a response passes here.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
    let result = text;
    for (const secret of secrets) {
        // Values shorter than 4 characters stay, because replacing them would also hide ordinary words.
        if (secret.length >= 4) result = result.split(secret).join("***");
    }
    return result;
}

/** Builds the RegistryError for a failed fetch: the registry sent no response at all. */
export function unreachableError(method: string, url: string, registry: string, error: unknown): RegistryError {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    return new RegistryError(`${method} ${url} failed: ${cause}; the registry ${registry} is unreachable: check that it is running and that its address is right`);
}
