import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { findExecutable } from "../provider/ko/path";

/** A running `docker-registry` (CNCF distribution 2.8) on 127.0.0.1. */
export interface LocalRegistry {
    /** `127.0.0.1:<port>`: a repository prefix that ko reaches over plain HTTP. */
    readonly address: string;
    readonly storageDir: string;
    /** Stops the registry; the storage folder is kept. */
    stop(): Promise<void>;
}

/** Options of {@link startLocalRegistry}. */
export interface LocalRegistryOptions {
    /** Folder for blobs and manifests. Default: a new temporary folder. */
    readonly storageDir?: string;
    /** TCP port on 127.0.0.1. Default: a free port. */
    readonly port?: number;
    /** Lines of an `auth:` section of the registry's configuration; without them, anyone may push. */
    readonly authConfig?: readonly string[];
}

/** Time to wait for the registry to respond on `/v2/`. */
const startTimeoutMs = 15_000;

/** Starts Debian's `docker-registry` with a throw-away configuration and waits until it responds. */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
    const binary = findExecutable("docker-registry", process.env.PATH) ?? findExecutable("/usr/bin/docker-registry", undefined);
    if (!binary) {
        throw new Error("docker-registry was not found: run `npm run setup`, which installs the Debian package docker-registry");
    }
    const storageDir = options.storageDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-registry-"));
    fs.mkdirSync(storageDir, { recursive: true });
    const port = options.port ?? (await findFreePort());
    const address = `127.0.0.1:${port}`;
    const configFile = path.join(storageDir, "config.yml");
    fs.writeFileSync(
        configFile,
        [
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
            ...(options.authConfig ?? []),
            "",
        ].join("\n"),
    );

    const logFile = path.join(storageDir, "registry.log");
    const log = fs.openSync(logFile, "a");
    const child = spawn(binary, ["serve", configFile], { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    await waitUntilReady(address, child, logFile);
    return { address, storageDir, stop: () => stopChild(child) };
}

async function waitUntilReady(address: string, child: ChildProcess, logFile: string): Promise<void> {
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`docker-registry exited with code ${child.exitCode} before responding on ${address}: ${fs.readFileSync(logFile, "utf8").slice(-500)}`);
        }
        try {
            const response = await fetch(`http://${address}/v2/`);
            await response.body?.cancel();
            // A registry that requires authentication responds with 401.
            if (response.ok || response.status === 401) return;
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

/** Asks the kernel for a free port on 127.0.0.1. */
export function findFreePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}
