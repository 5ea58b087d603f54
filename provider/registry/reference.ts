/** An image reference split into the parts the registry HTTP API needs. */
export interface ImageReference {
    /** Host and optional port, such as `ghcr.io` or `127.0.0.1:5000`; Docker Hub is `registry-1.docker.io`. */
    readonly registry: string;
    /** Repository path inside the registry, such as `acme/app`. */
    readonly repository: string;
    readonly tag?: string;
    /** `sha256:<hex>`. */
    readonly digest?: string;
}

const dockerHub = "registry-1.docker.io";

/**
 * Parses `[registry/]repository[:tag][@digest]` with Docker's rules. The first path element is a
 * registry only if it contains `.` or `:` or is `localhost`. Otherwise the image is on Docker Hub.
 */
export function parseImageReference(reference: string): ImageReference {
    let rest = reference;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    let tag: string | undefined;
    const lastColon = rest.lastIndexOf(":");
    if (lastColon > rest.lastIndexOf("/")) {
        tag = rest.slice(lastColon + 1);
        rest = rest.slice(0, lastColon);
    }
    const slash = rest.indexOf("/");
    const first = slash >= 0 ? rest.slice(0, slash) : "";
    const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
    let registry = hasRegistry ? first : dockerHub;
    let repository = hasRegistry ? rest.slice(slash + 1) : rest;
    if (registry === "docker.io" || registry === "index.docker.io") registry = dockerHub;
    if (registry === dockerHub && !repository.includes("/")) repository = `library/${repository}`;
    if (repository === "" || (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest))) {
        throw new Error(`invalid image reference ${JSON.stringify(reference)}: use [registry/]repository[:tag][@sha256:<hex>]`);
    }
    return { registry, repository, tag: digest === undefined && tag === undefined ? "latest" : tag, digest };
}

/**
 * Reports whether the registry is reached over plain HTTP, as go-containerregistry (and so ko) does for
 * `localhost:<port>`, `*.localhost` and loopback addresses.
 */
export function usesPlainHttp(registry: string): boolean {
    const host = registry.replace(/:\d+$/, "");
    return (
        registry.startsWith("localhost:") ||
        /(^|\.)localhost$/.test(host) ||
        /^127\.\d+\.\d+\.\d+$/.test(host) ||
        host === "[::1]" ||
        host === "::1"
    );
}
