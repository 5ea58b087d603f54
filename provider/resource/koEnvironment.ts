import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { writeDockerConfig } from "../ko/dockerConfig";
import type { RegistryAuth } from "../registry/credentials";

/** Environment handed to `ko build`: this process's environment, with `DOCKER_CONFIG` when credentials are given. */
export type KoEnvironment = Record<string, string | undefined>;

/**
 * Runs `run` with the environment for ko. With explicit registry credentials, `DOCKER_CONFIG`
 * points at a docker config in a private temporary folder, which is removed when `run` settles.
 */
export async function withKoEnvironment<T>(registries: readonly RegistryAuth[], run: (env: KoEnvironment) => Promise<T>): Promise<T> {
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "pulumi-kos-auth-"));
    try {
        const env: KoEnvironment = { ...process.env };
        if (registries.length > 0) env.DOCKER_CONFIG = await writeDockerConfig(scratch, registries, process.env);
        return await run(env);
    } finally {
        await fs.rm(scratch, { recursive: true, force: true });
    }
}
