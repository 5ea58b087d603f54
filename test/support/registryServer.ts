import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalRegistry } from "../../cli/localRegistry";

/** A `docker-registry` (distribution 2.8) started for one test file, with optional authentication. */
export interface TestRegistry {
    /** `127.0.0.1:<port>`. */
    readonly address: string;
    readonly storageDir: string;
    /** Stops the registry and deletes its storage folder. */
    stop(): Promise<void>;
}

/** Token authentication settings, from {@link startTokenServer} in registryTokenServer.ts. */
export interface TokenAuthSettings {
    readonly realm: string;
    readonly service: string;
    readonly issuer: string;
    /** PEM file with the certificate whose key signs the tokens. */
    readonly rootCertBundle: string;
}

/** Options of {@link startTestRegistry}; at most one kind of authentication. */
export interface TestRegistryOptions {
    /** User names and passwords accepted with HTTP Basic (the registry's `htpasswd` mode). */
    readonly users?: Record<string, string>;
    /** Bearer tokens from a token server (the registry's `token` mode). */
    readonly token?: TokenAuthSettings;
}

/**
 * Starts a local registry (see cli/localRegistry.ts) in a new temporary folder, with HTTP Basic or
 * token authentication when asked, and deletes the folder when stopped.
 */
export async function startTestRegistry(options: TestRegistryOptions = {}): Promise<TestRegistry> {
    const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-registry-test-"));
    const authConfig: string[] = [];
    if (options.users) {
        const htpasswdFile = path.join(storageDir, "htpasswd");
        const lines = Object.entries(options.users).map(([user, password]) => `${user}:${bcryptHash(password)}`);
        fs.writeFileSync(htpasswdFile, `${lines.join("\n")}\n`);
        authConfig.push("auth:", "  htpasswd:", "    realm: pulumi-kos-test", `    path: ${JSON.stringify(htpasswdFile)}`);
    } else if (options.token) {
        authConfig.push(
            "auth:",
            "  token:",
            `    realm: ${JSON.stringify(options.token.realm)}`,
            `    service: ${JSON.stringify(options.token.service)}`,
            `    issuer: ${JSON.stringify(options.token.issuer)}`,
            `    rootcertbundle: ${JSON.stringify(options.token.rootCertBundle)}`,
        );
    }
    const registry = await startLocalRegistry({ storageDir, authConfig });
    const stop = async () => {
        await registry.stop();
        fs.rmSync(storageDir, { recursive: true, force: true });
    };
    return { address: registry.address, storageDir, stop };
}

/**
 * Hashes a password with bcrypt for the registry's htpasswd file, through Perl's `crypt`, which
 * calls the C library's crypt(3). Debian's libcrypt (libxcrypt) supports `$2b$` bcrypt hashes,
 * and Perl and libcrypt are part of every Debian installation, so no extra package is needed.
 */
export function bcryptHash(password: string): string {
    const alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const random = randomBytes(22);
    // The last of the 22 salt characters carries only 2 bits, so it is one of ".Oeu".
    const salt = [...random.subarray(0, 21)].map((byte) => alphabet[byte % 64]).join("") + ".Oeu"[random[21] % 4];
    const hash = execFileSync("perl", ["-e", "print crypt($ENV{BCRYPT_PASSWORD}, $ENV{BCRYPT_SETTING})"], {
        env: { PATH: process.env.PATH, BCRYPT_PASSWORD: password, BCRYPT_SETTING: `$2b$05$${salt}` },
        encoding: "utf8",
    });
    if (!hash.startsWith("$2b$05$")) {
        throw new Error(`perl crypt() did not produce a bcrypt hash (got ${JSON.stringify(hash.slice(0, 7))}): the C library lacks bcrypt support`);
    }
    return hash;
}
