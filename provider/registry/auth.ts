import type { DockerKeychain, RegistryCredentials } from "./credentials";
import { parseErrorBody, redactSecrets, RegistryError, unreachableError } from "./errors";
import { usesPlainHttp } from "./reference";

/** A parsed `WWW-Authenticate` header: the scheme in lower case and its parameters. */
export interface AuthChallenge {
    readonly scheme: "none" | "basic" | "bearer" | string;
    readonly params: Readonly<Record<string, string>>;
}

/** Access a request needs: `pull`, or `pull,push` for writes. */
export type RepositoryAction = "pull" | "pull,push";

/** The resource scopes of one request, such as `repository:acme/app:pull,push`. */
export interface AccessScope {
    readonly registry: string;
    /** The repository whose credentials apply; for a cross-repository mount, the destination. */
    readonly repository: string;
    readonly scopes: readonly string[];
}

/** Builds the token scope `repository:<name>:<actions>` of the distribution token specification. */
export function repositoryScope(repository: string, action: RepositoryAction): string {
    return `repository:${repository}:${action}`;
}

/**
 * Parses a `WWW-Authenticate` header such as `Bearer realm="https://auth.example/token",
 * service="registry",scope="repository:a:pull"`. Quoted values may contain commas and escaped
 * quotes; unquoted values end at a comma.
 */
export function parseChallenge(header: string | null): AuthChallenge {
    if (!header) return { scheme: "none", params: {} };
    const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
    if (!match) return { scheme: "none", params: {} };
    const params: Record<string, string> = {};
    const paramPattern = /([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
    for (const [, key, quoted, bare] of match[2].matchAll(paramPattern)) {
        params[key.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : bare;
    }
    return { scheme: match[1].toLowerCase(), params };
}

/** A bearer token and the time after which it is fetched again. */
interface CachedToken {
    readonly token: string;
    readonly expiresAt: number;
}

/** Lifetime the distribution token specification assumes when a token server sends no `expires_in`. */
const defaultTokenLifetimeSeconds = 60;

/**
 * Produces the `Authorization` header for registry requests. It learns each registry's
 * authentication scheme from one `GET /v2/` and then returns:
 *
 * - nothing for registries that need no authentication, or when no credentials were found for a
 *   `Basic` registry (the request then fails with 401, and its message suggests logging in);
 * - `Basic` with the keychain's user name and password for a `Basic` challenge;
 * - `Bearer` with a token from the challenge's realm for a `Bearer` challenge. The token request
 *   carries Basic credentials when the keychain has them, or an OAuth2 refresh-token grant for an
 *   identity token, and is anonymous otherwise. Tokens are cached per registry and scope set,
 *   which is the repository and action, until shortly before they expire.
 *
 * Credentials are looked up once per registry and repository.
 */
export class RegistryAuthorizer {
    private readonly challenges = new Map<string, Promise<AuthChallenge>>();
    private readonly credentials = new Map<string, Promise<RegistryCredentials | undefined>>();
    private readonly tokens = new Map<string, Promise<CachedToken>>();
    /** Every secret this object has handled, so that error messages can be scrubbed of them. */
    private readonly secrets = new Set<string>();

    constructor(private readonly keychain: DockerKeychain) {}

    /** Returns the header value for a request with `access`, or undefined to send none. */
    async authorization(access: AccessScope): Promise<string | undefined> {
        const challenge = await this.challengeFor(access.registry);
        if (challenge.scheme === "basic") {
            const credentials = await this.credentialsFor(access.registry, access.repository);
            if (!credentials?.username || credentials.password === undefined) return undefined;
            return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
        }
        if (challenge.scheme === "bearer") {
            const { token } = await this.tokenFor(access, challenge);
            return `Bearer ${token}`;
        }
        return undefined;
    }

    /**
     * Records the challenge of a 401 response and drops the cached token for `access`, so that the
     * next {@link authorization} fetches a new one. Call it before retrying the request once.
     */
    rejected(access: AccessScope, challengeHeader: string | null): void {
        const challenge = parseChallenge(challengeHeader);
        if (challenge.scheme !== "none") this.challenges.set(access.registry, Promise.resolve(challenge));
        this.tokens.delete(tokenKey(access));
    }

    /** Returns where the credentials for `access` came from, or undefined when the request is anonymous. */
    async credentialSource(access: Pick<AccessScope, "registry" | "repository">): Promise<string | undefined> {
        return (await this.credentialsFor(access.registry, access.repository))?.source;
    }

    /** Scrubs every secret handled so far out of `text`. */
    redact(text: string): string {
        return redactSecrets(text, this.secrets);
    }

    /** Returns the cached or new credentials for a repository; lookups run once per key. */
    credentialsFor(registry: string, repository: string): Promise<RegistryCredentials | undefined> {
        const key = `${registry}/${repository}`;
        let pending = this.credentials.get(key);
        if (!pending) {
            pending = this.keychain.resolve(registry, repository).then((found) => {
                for (const secret of [found?.password, found?.identityToken, found?.registryToken]) {
                    if (secret) this.secrets.add(secret);
                }
                // The Basic header value is as secret as the password it encodes.
                if (found?.username && found.password) this.secrets.add(Buffer.from(`${found.username}:${found.password}`).toString("base64"));
                return found;
            });
            // A failed lookup, such as a helper that timed out, is tried again by the next request.
            pending.catch(() => this.credentials.delete(key));
            this.credentials.set(key, pending);
        }
        return pending;
    }

    /** Learns the registry's scheme from `GET /v2/`, once per registry. */
    private challengeFor(registry: string): Promise<AuthChallenge> {
        let pending = this.challenges.get(registry);
        if (!pending) {
            pending = pingRegistry(registry);
            pending.catch(() => this.challenges.delete(registry));
            this.challenges.set(registry, pending);
        }
        return pending;
    }

    /** Returns a cached token that is still valid, or starts one fetch that concurrent requests share. */
    private async tokenFor(access: AccessScope, challenge: AuthChallenge): Promise<CachedToken> {
        const key = tokenKey(access);
        const cached = this.tokens.get(key);
        if (cached) {
            // A failed fetch removes itself from the cache, and its error reaches every caller that waited for it.
            const token = await cached;
            if (token.expiresAt > Date.now()) return token;
            if (this.tokens.get(key) === cached) this.tokens.delete(key);
            const newer = this.tokens.get(key);
            if (newer) return newer;
        }
        const pending = this.fetchToken(access, challenge);
        this.tokens.set(key, pending);
        pending.catch(() => {
            if (this.tokens.get(key) === pending) this.tokens.delete(key);
        });
        return pending;
    }

    /** Requests a token from the challenge's realm, as the distribution token specification describes. */
    private async fetchToken(access: AccessScope, challenge: AuthChallenge): Promise<CachedToken> {
        const credentials = await this.credentialsFor(access.registry, access.repository);
        if (credentials?.registryToken) {
            return { token: credentials.registryToken, expiresAt: Number.POSITIVE_INFINITY };
        }
        const realm = challenge.params.realm;
        if (!realm) {
            throw new RegistryError(`the registry ${access.registry} sent a Bearer challenge without a realm, so no token can be requested: check the registry's auth configuration`, 401, "UNAUTHORIZED");
        }
        let url: URL;
        try {
            url = new URL(realm);
        } catch {
            throw new RegistryError(`the registry ${access.registry} sent an invalid token realm ${JSON.stringify(realm)}: check the registry's auth configuration`, 401, "UNAUTHORIZED");
        }

        const scopes = access.scopes.join(" ");
        const described = `the token request to ${url.origin}${url.pathname} for "${scopes}"`;
        let response: Response;
        try {
            response = credentials?.identityToken
                ? await fetch(url, {
                      method: "POST",
                      headers: { "Content-Type": "application/x-www-form-urlencoded" },
                      body: new URLSearchParams({
                          grant_type: "refresh_token",
                          refresh_token: credentials.identityToken,
                          service: challenge.params.service ?? "",
                          scope: scopes,
                          client_id: "pulumi-kos",
                      }),
                  })
                : await fetch(tokenUrl(url, challenge, access.scopes), { headers: basicHeader(credentials) });
        } catch (error) {
            throw unreachableError(credentials?.identityToken ? "POST" : "GET", `${url.origin}${url.pathname}`, url.host, error);
        }

        if (!response.ok) {
            const { code, text } = parseErrorBody(await response.text());
            let fix = "check the registry's token service";
            if ((response.status === 401 || response.status === 403) && credentials) {
                fix = `the token server rejected the credentials from ${credentials.source}: check them, or log in again with \`docker login ${access.registry}\``;
            } else if (response.status === 401 || response.status === 403) {
                fix = `no credentials were found for ${access.registry}: log in with \`docker login ${access.registry}\`, or pass registry credentials for it`;
            }
            const message = `${described} failed: HTTP ${response.status}${text ? ` ${text}` : ""}; ${fix}`;
            throw new RegistryError(this.redact(message), response.status, code ?? (response.status === 401 ? "UNAUTHORIZED" : undefined));
        }
        const body = (await response.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
        const token = typeof body.token === "string" && body.token !== "" ? body.token : body.access_token;
        if (typeof token !== "string" || token === "") {
            throw new RegistryError(`${described} returned no token: check the registry's token service`, response.status);
        }
        this.secrets.add(token);
        const lifetime = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : defaultTokenLifetimeSeconds;
        // Refresh early, so that a token does not expire between this check and the registry's.
        const usableSeconds = Math.max(lifetime - 10, lifetime / 2);
        return { token, expiresAt: Date.now() + usableSeconds * 1000 };
    }
}

function tokenKey(access: AccessScope): string {
    return `${access.registry} ${[...access.scopes].sort().join(" ")}`;
}

function tokenUrl(realm: URL, challenge: AuthChallenge, scopes: readonly string[]): URL {
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    for (const scope of scopes) url.searchParams.append("scope", scope);
    return url;
}

function basicHeader(credentials: RegistryCredentials | undefined): Record<string, string> {
    if (!credentials?.username || credentials.password === undefined) return {};
    return { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}` };
}

/** Returns the base URL of the registry API, plain HTTP only for loopback registries. */
export function registryBaseUrl(registry: string): string {
    return `${usesPlainHttp(registry) ? "http" : "https"}://${registry}/v2/`;
}

/** Sends `GET /v2/` and returns the challenge of a 401 response. Any other response means no authentication. */
async function pingRegistry(registry: string): Promise<AuthChallenge> {
    const url = registryBaseUrl(registry);
    let response: Response;
    try {
        response = await fetch(url);
    } catch (error) {
        throw unreachableError("GET", url, registry, error);
    }
    await response.body?.cancel();
    return response.status === 401 ? parseChallenge(response.headers.get("www-authenticate")) : { scheme: "none", params: {} };
}
