import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { pushBaseImageFixture } from "../cli/baseImage";
import { startLocalRegistry } from "../cli/localRegistry";
import { openStack } from "../cli/stack";
import { publishKos } from "../program";
import { loadGoreleaserConfig, resolveImageSpec } from "../provider";
import { runKoBuild } from "../provider/ko/driver";

/** Rounds of each measurement; the two are interleaved so that load on the machine hits both alike. */
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

/**
 * Compares, side by side in one run, the cost of learning that nothing changed:
 * - "ko rebuild": `ko build --push=false` of every kos entry of the example, which is how
 *   terraform-provider-ko detects changes on every plan;
 * - "pulumi preview": a no-op preview of the same entries with this provider, which fingerprints
 *   the sources with `go list` and never builds.
 * Both run after one `pulumi up`, once with the warm Go build cache and once with an empty one,
 * as on a fresh CI runner.
 */
async function main(): Promise<void> {
    const projectDir = path.resolve(__dirname, "..", "..");
    const registry = await startLocalRegistry();
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-bench-"));
    try {
        const baseImage = pushBaseImageFixture(registry.address);
        process.env.KOS_REGISTRY = `${registry.address}/bench`;
        const stack = await openStack({
            projectDir,
            stackName: `bench-${process.pid}`,
            program: publishKos,
            backendUrl: `file://${backendDir}`,
            config: { goreleaserConfig: "examples/hello/.goreleaser.yaml", defaultBaseImage: baseImage, snapshot: "true", koDockerRepo: "" },
        });
        await stack.up();

        const config = await loadGoreleaserConfig("examples/hello/.goreleaser.yaml", { baseDir: projectDir, snapshot: true });
        const specs = config.entries.map((entry) => resolveImageSpec({ ...entry.spec, baseImage: entry.spec.baseImage ?? baseImage }));
        // goCache: undefined is the warm default cache; a folder is a new, empty cache, as on a fresh CI runner.
        const rebuild = async (goCache?: string) => {
            const env = goCache ? { ...process.env, GOCACHE: goCache } : process.env;
            for (const spec of specs) await runKoBuild({ spec, workingDir: path.join(projectDir, spec.workingDir), mode: "build-only", env });
        };
        const preview = async (goCache?: string) => {
            // The Pulumi CLI, and so the provider, get the workspace's environment.
            const envVars = (stack.workspace as LocalWorkspace).envVars;
            if (goCache) envVars.GOCACHE = goCache;
            else delete envVars.GOCACHE;
            const result = await stack.preview();
            if (Object.keys(result.changeSummary).some((op) => op !== "same")) throw new Error(`the preview is not a no-op: ${JSON.stringify(result.changeSummary)}`);
        };
        const freshCache = () => fs.mkdtempSync(path.join(backendDir, "gocache-"));

        await rebuild();
        const results: Record<string, number[]> = { "ko rebuild, warm Go cache": [], "pulumi preview, warm Go cache": [], "ko rebuild, empty Go cache": [], "pulumi preview, empty Go cache": [] };
        for (let round = 0; round < rounds; round++) {
            results["ko rebuild, warm Go cache"].push(await time(() => rebuild()));
            results["pulumi preview, warm Go cache"].push(await time(() => preview()));
            results["ko rebuild, empty Go cache"].push(await time(() => rebuild(freshCache())));
            results["pulumi preview, empty Go cache"].push(await time(() => preview(freshCache())));
        }
        await stack.workspace.removeStack(stack.name, { force: true });

        console.log(`images: ${specs.length} (${specs.map((spec) => `${spec.main} for ${spec.platforms.join(", ")}`).join("; ")})`);
        console.log(`rounds: ${rounds}, cores: ${os.cpus().length}`);
        for (const [name, times] of Object.entries(results)) {
            console.log(`${name.padEnd(32)} median ${median(times).toFixed(2)} s [${times.map((t) => t.toFixed(2)).join(", ")}]`);
        }
        for (const cache of ["warm", "empty"]) {
            const ratio = median(results[`pulumi preview, ${cache} Go cache`]) / median(results[`ko rebuild, ${cache} Go cache`]);
            console.log(`ratio preview / ko rebuild, ${cache} Go cache: ${ratio.toFixed(2)}`);
        }
    } finally {
        await registry.stop();
        fs.rmSync(registry.storageDir, { recursive: true, force: true });
        fs.rmSync(backendDir, { recursive: true, force: true });
        fs.rmSync(path.join(projectDir, `Pulumi.bench-${process.pid}.yaml`), { force: true });
    }
}

async function time(action: () => Promise<void>): Promise<number> {
    const start = performance.now();
    await action();
    return (performance.now() - start) / 1000;
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

main().catch((error: unknown) => {
    console.error(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
