import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findFreePort } from "../../cli/localRegistry";

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

const startTimeoutMs = 15_000;

/**
 * Starts Debian's `/usr/bin/docker-registry` on a free port of 127.0.0.1 with a generated
 * configuration, and waits until `/v2/` responds (200, or 401 with authentication on). It exists
 * beside cli/localRegistry.ts because that starter has no authentication options.
 */
export async function startTestRegistry(options: TestRegistryOptions = {}): Promise<TestRegistry> {
    const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-registry-test-"));
    const port = await findFreePort();
    const address = `127.0.0.1:${port}`;
    const config = [
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${JSON.stringify(path.join(storageDir, "data"))}`,
        "  delete:",
        "    enabled: true",
        "http:",
        `  addr: ${address}`,
    ];
    if (options.users) {
        const htpasswdFile = path.join(storageDir, "htpasswd");
        const lines = Object.entries(options.users).map(([user, password]) => `${user}:${bcryptHash(password)}`);
        fs.writeFileSync(htpasswdFile, `${lines.join("\n")}\n`);
        config.push("auth:", "  htpasswd:", "    realm: pulumi-kos-test", `    path: ${JSON.stringify(htpasswdFile)}`);
    } else if (options.token) {
        config.push(
            "auth:",
            "  token:",
            `    realm: ${JSON.stringify(options.token.realm)}`,
            `    service: ${JSON.stringify(options.token.service)}`,
            `    issuer: ${JSON.stringify(options.token.issuer)}`,
            `    rootcertbundle: ${JSON.stringify(options.token.rootCertBundle)}`,
        );
    }
    const configFile = path.join(storageDir, "config.yml");
    fs.writeFileSync(configFile, `${config.join("\n")}\n`);

    const logFile = path.join(storageDir, "registry.log");
    const log = fs.openSync(logFile, "a");
    const child = spawn("/usr/bin/docker-registry", ["serve", configFile], { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    await waitUntilAnswering(address, child, logFile);
    const stop = async () => {
        await stopChild(child);
        fs.rmSync(storageDir, { recursive: true, force: true });
    };
    return { address, storageDir, stop };
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

async function waitUntilAnswering(address: string, child: ChildProcess, logFile: string): Promise<void> {
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`docker-registry exited with code ${child.exitCode} before responding on ${address}: ${fs.readFileSync(logFile, "utf8").slice(-500)}`);
        }
        try {
            const response = await fetch(`http://${address}/v2/`);
            await response.body?.cancel();
            if (response.status === 200 || response.status === 401) return;
        } catch {
            // Not listening yet.
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill();
    throw new Error(`docker-registry did not respond on http://${address}/v2/ within ${startTimeoutMs} ms; see ${logFile}`);
}

function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
    });
}
