import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { findExecutable } from "../ko/path";

/**
 * Credentials for one registry, given to the client explicitly. The shape follows the
 * `registryAuth` entries of the `@pulumi/docker` provider.
 */
export interface RegistryAuth {
    /** Registry host, optionally with a scheme or path: `ghcr.io`, `127.0.0.1:5000`, `https://index.docker.io/v1/`. */
    readonly address: string;
    readonly username?: string;
    readonly password?: string;
}

/** Credentials found for a registry. At least one of the secret fields is set. */
export interface RegistryCredentials {
    readonly username?: string;
    readonly password?: string;
    /** OAuth2 refresh token (`identitytoken` in the docker config), exchanged at the token realm. */
    readonly identityToken?: string;
    /** Bearer token sent to the registry as is (`registrytoken` in the docker config). */
    readonly registryToken?: string;
    /** Origin of the credentials, such as a config file entry, for error messages. It never contains a secret. */
    readonly source: string;
}

/** Options of {@link DockerKeychain}. */
export interface KeychainOptions {
    /** Explicit credentials; an entry for the registry wins over the docker config. */
    readonly registryAuth?: readonly RegistryAuth[];
    /**
     * Environment for `DOCKER_CONFIG`, `HOME`, `XDG_RUNTIME_DIR`, and the `PATH` and environment
     * of credential helpers. Default: `process.env`.
     */
    readonly env?: NodeJS.ProcessEnv;
}

/** The key of Docker Hub in docker config files, kept for historical reasons by the docker CLI. */
const dockerHubConfigKey = "https://index.docker.io/v1/";
const dockerHubHosts = new Set(["registry-1.docker.io", "index.docker.io", "docker.io"]);

/**
 * Maximum time a credential helper may take. Helpers such as `pass` or the macOS keychain can wait
 * for a user to unlock them, so the limit is generous. It keeps a hung helper from hanging a deployment.
 */
const credentialHelperTimeoutMs = 120_000;

/** Output of a credential helper that has no entry for the server, from docker-credential-helpers. */
const helperNotFoundPattern = /credentials not found/i;

/** The parts of a docker `config.json` that hold credentials. */
interface DockerConfigFile {
    readonly auths?: Record<string, DockerAuthEntry>;
    readonly credHelpers?: Record<string, string>;
    readonly credsStore?: string;
}

interface DockerAuthEntry {
    readonly auth?: string;
    readonly username?: string;
    readonly password?: string;
    readonly identitytoken?: string;
    readonly registrytoken?: string;
}

/**
 * Finds registry credentials the way ko does through go-containerregistry's default keychain,
 * which reads the docker CLI's configuration:
 *
 * 1. an explicit {@link RegistryAuth} whose address is the registry;
 * 2. the docker config, `$DOCKER_CONFIG/config.json` when `DOCKER_CONFIG` is set, else
 *    `~/.docker/config.json`, else Podman's `$XDG_RUNTIME_DIR/containers/auth.json`. The key
 *    `<registry>/<repository>` is tried before `<registry>`, and Docker Hub's key is
 *    `https://index.docker.io/v1/`. For each key, `credHelpers[key]` wins, then `credsStore`,
 *    then `auths[key]`, as in the docker CLI. A helper that reports "credentials not found"
 *    means no credentials for that key;
 * 3. anonymous, returned as undefined.
 *
 * A missing or failing helper raises an error, as in the docker CLI, so that the cause is not
 * hidden behind a later 401. The configuration is read again on each call, so callers cache the
 * result.
 */
export class DockerKeychain {
    private readonly registryAuth: readonly RegistryAuth[];
    private readonly env: NodeJS.ProcessEnv;

    constructor(options: KeychainOptions = {}) {
        this.registryAuth = options.registryAuth ?? [];
        this.env = options.env ?? process.env;
        for (const entry of this.registryAuth) validateRegistryAuth(entry);
    }

    /** Looks up credentials for `repository` on `registry` (host and optional port). */
    async resolve(registry: string, repository: string): Promise<RegistryCredentials | undefined> {
        const explicit = this.registryAuth.find((entry) => registryHostOf(entry.address) === canonicalRegistry(registry));
        if (explicit) {
            return { username: explicit.username, password: explicit.password, source: `the registryAuth entry for ${explicit.address}` };
        }

        const configFile = await this.findConfigFile();
        if (!configFile) return undefined;
        const config = await readDockerConfig(configFile);
        const registryKey = dockerHubHosts.has(registry) ? dockerHubConfigKey : registry;
        const repositoryHost = dockerHubHosts.has(registry) ? "index.docker.io" : registry;
        for (const key of [`${repositoryHost}/${repository}`, registryKey]) {
            const credentials = await this.lookUpKey(config, configFile, key);
            if (credentials) return credentials;
        }
        return undefined;
    }

    /** Returns the docker config file to read, or undefined when none exists. */
    private async findConfigFile(): Promise<string | undefined> {
        const dockerConfig = this.env.DOCKER_CONFIG
            ? path.join(this.env.DOCKER_CONFIG, "config.json")
            : path.join(this.env.HOME || os.homedir(), ".docker", "config.json");
        if (await isFile(dockerConfig)) return dockerConfig;
        if (this.env.XDG_RUNTIME_DIR) {
            const podmanAuth = path.join(this.env.XDG_RUNTIME_DIR, "containers", "auth.json");
            if (await isFile(podmanAuth)) return podmanAuth;
        }
        return undefined;
    }

    private async lookUpKey(config: DockerConfigFile, configFile: string, key: string): Promise<RegistryCredentials | undefined> {
        const helper = config.credHelpers?.[key] ?? config.credsStore;
        if (helper) return runCredentialHelper(helper, key, this.env);

        const found = findAuthEntry(config.auths ?? {}, key);
        return found ? decodeAuthEntry(found.entry, `auths[${JSON.stringify(found.key)}] in ${configFile}`) : undefined;
    }
}

/** Rejects an explicit entry that could never authenticate, naming its address. */
function validateRegistryAuth(entry: RegistryAuth): void {
    if (!entry.address || registryHostOf(entry.address) === "") {
        throw new Error(`invalid registryAuth entry: the address ${JSON.stringify(entry.address)} is empty; set it to the registry host, such as ghcr.io`);
    }
    if (!entry.username || entry.password === undefined) {
        throw new Error(`invalid registryAuth entry for ${entry.address}: set both username and password`);
    }
}

/** Reduces a registry address such as `https://ghcr.io/v2/` to its host and port. */
export function registryHostOf(address: string): string {
    const host = address
        .trim()
        .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
        .replace(/\/.*$/, "");
    return canonicalRegistry(host);
}

/** Maps Docker Hub's aliases to `registry-1.docker.io`, the name parseImageReference uses. */
function canonicalRegistry(registry: string): string {
    return dockerHubHosts.has(registry) ? "registry-1.docker.io" : registry;
}

/**
 * Finds `key` in `auths` as the docker CLI does: the exact key first, then a key whose host
 * (without scheme and path) is `key`. Docker Hub entries also match under each of its aliases.
 */
function findAuthEntry(auths: Record<string, DockerAuthEntry>, key: string): { key: string; entry: DockerAuthEntry } | undefined {
    if (auths[key]) return { key, entry: auths[key] };
    const expectedHost = key === dockerHubConfigKey ? "registry-1.docker.io" : key;
    for (const [candidate, entry] of Object.entries(auths)) {
        if (registryHostOf(candidate) === expectedHost) return { key: candidate, entry };
    }
    return undefined;
}

/** Turns one `auths` entry into credentials; `auth` (base64 `user:password`) wins over `username`/`password`. */
function decodeAuthEntry(entry: DockerAuthEntry, source: string): RegistryCredentials | undefined {
    let username = entry.username;
    let password = entry.password;
    if (entry.auth) {
        const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        if (colon < 0) {
            throw new Error(`invalid ${source}: "auth" is not base64 of user:password; log in again with docker login`);
        }
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
    }
    const credentials: RegistryCredentials = {
        username: username || undefined,
        password: password || undefined,
        identityToken: entry.identitytoken || undefined,
        registryToken: entry.registrytoken || undefined,
        source,
    };
    return hasSecret(credentials) ? credentials : undefined;
}

function hasSecret(credentials: RegistryCredentials): boolean {
    return Boolean((credentials.username && credentials.password) || credentials.identityToken || credentials.registryToken);
}

/** Reads and parses a docker config file; parse errors never quote the file, which contains secrets. */
async function readDockerConfig(file: string): Promise<DockerConfigFile> {
    let text: string;
    try {
        text = await fs.readFile(file, "utf8");
    } catch (error) {
        throw new Error(`cannot read the docker config ${file}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new Error(`invalid docker config ${file}: it is not valid JSON; fix it or log in again with docker login`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new Error(`invalid docker config ${file}: expected a JSON object with "auths", "credHelpers" or "credsStore"`);
    }
    return parsed as DockerConfigFile;
}

/**
 * Runs `docker-credential-<helper> get` with the server URL on standard input, as the docker
 * credential helper protocol specifies, and reads `{"Username","Secret"}` from standard output.
 * A user name of `<token>` marks the secret as an identity token.
 */
async function runCredentialHelper(helper: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<RegistryCredentials | undefined> {
    const program = `docker-credential-${helper}`;
    const source = `the credential helper ${program} (for ${serverUrl})`;
    const executable = findExecutable(program, env.PATH);
    if (!executable) {
        throw new Error(`${program} was not found on PATH, but the docker config names the helper "${helper}" for ${serverUrl}: install it, or remove it from the docker config`);
    }

    const { execa } = await import("execa");
    const result = await execa(executable, ["get"], {
        input: serverUrl,
        env: env as Record<string, string>,
        extendEnv: false,
        reject: false,
        timeout: credentialHelperTimeoutMs,
        stripFinalNewline: true,
    });
    const stdout = String(result.stdout ?? "");
    const stderr = String(result.stderr ?? "");
    if (result.failed) {
        if (helperNotFoundPattern.test(stdout) || helperNotFoundPattern.test(stderr)) return undefined;
        const cause = result.timedOut ? `timed out after ${credentialHelperTimeoutMs} ms` : `exit code ${result.exitCode ?? "none"}`;
        // The helper's output is not quoted: a helper that fails after printing the secret would leak it.
        throw new Error(`${program} get failed for ${serverUrl} (${cause}): run \`echo ${serverUrl} | ${program} get\` to see its error, or log in again with docker login`);
    }

    let reply: { Username?: unknown; Secret?: unknown };
    try {
        reply = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
    } catch {
        throw new Error(`${program} get for ${serverUrl} did not print JSON with Username and Secret: check the helper's version`);
    }
    const username = typeof reply.Username === "string" ? reply.Username : "";
    const secret = typeof reply.Secret === "string" ? reply.Secret : "";
    if (secret === "") return undefined;
    if (username === "<token>") return { identityToken: secret, source };
    return { username, password: secret, source };
}

async function isFile(file: string): Promise<boolean> {
    const stat = await fs.stat(file).catch(() => undefined);
    return stat?.isFile() ?? false;
}
