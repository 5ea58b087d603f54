import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { registryHostOf, type RegistryAuth } from "../registry/credentials";

/**
 * Writes a docker `config.json` that gives ko the explicit registry credentials, into `dir`
 * (a private folder the caller removes), and returns the folder to pass as `DOCKER_CONFIG`.
 * The user's own config is copied in first, so that credential helpers for other registries
 * (the base image's, say) keep working. For each explicit registry, its `auths` entry is set and
 * any helper for it removed, because the docker CLI's rules let a helper win over `auths`.
 * Credentials go through this file only: never argv, the environment or logs.
 */
export async function writeDockerConfig(dir: string, registries: readonly RegistryAuth[], env: Readonly<Record<string, string | undefined>>): Promise<string> {
    const config = await readUserDockerConfig(env);
    const auths = { ...(config.auths as Record<string, unknown> | undefined) };
    const credHelpers = { ...(config.credHelpers as Record<string, string> | undefined) };
    let credsStore = config.credsStore as string | undefined;

    for (const registry of registries) {
        const host = registryHostOf(registry.address);
        const token = Buffer.from(`${registry.username ?? ""}:${registry.password ?? ""}`).toString("base64");
        auths[host] = { auth: token };
        delete credHelpers[host];
    }
    // A credsStore would still respond for the explicit registries, so it only stays if none is given.
    if (registries.length > 0) credsStore = undefined;

    const configDir = path.join(dir, "docker");
    await fs.mkdir(configDir, { recursive: true, mode: 0o700 });
    const content = { ...config, auths, credHelpers, credsStore };
    await fs.writeFile(path.join(configDir, "config.json"), JSON.stringify(content), { mode: 0o600 });
    return configDir;
}

async function readUserDockerConfig(env: Readonly<Record<string, string | undefined>>): Promise<Record<string, unknown>> {
    const file = env.DOCKER_CONFIG ? path.join(env.DOCKER_CONFIG, "config.json") : path.join(env.HOME ?? os.homedir(), ".docker", "config.json");
    try {
        return JSON.parse(await fs.readFile(file, "utf8")) as Record<string, unknown>;
    } catch {
        // No readable docker config: the explicit credentials are all ko gets, as in a fresh CI runner.
        return {};
    }
}
