import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "./paths";

/** The crane binary that scripts/setup.sh installs. */
export const cranePath = path.join(repoRoot, ".tools", "bin", "crane");

/** Runs crane anonymously (an empty docker config) and returns its standard output, trimmed. */
export function crane(args: string[]): string {
    const dockerConfig = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-crane-config-"));
    try {
        return execFileSync(cranePath, args, {
            env: { PATH: process.env.PATH, HOME: os.tmpdir(), DOCKER_CONFIG: dockerConfig },
            encoding: "utf8",
            // crane logs each blob on standard error; a failure still shows it in the thrown error.
            stdio: ["ignore", "pipe", "pipe"],
        }).trim();
    } finally {
        fs.rmSync(dockerConfig, { recursive: true, force: true });
    }
}

/** Writes a tar file with one file of `size` random bytes, so that every layer is unique. */
function writeRandomLayer(size: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-layer-"));
    const contentDir = path.join(dir, "content");
    fs.mkdirSync(contentDir);
    fs.writeFileSync(path.join(contentDir, "data.bin"), randomBytes(size));
    const tarFile = path.join(dir, "layer.tar");
    execFileSync("tar", ["-cf", tarFile, "-C", contentDir, "data.bin"]);
    return tarFile;
}

/**
 * Pushes a single-platform image with two random layers (`layerSizes` bytes each) to `reference`
 * with `crane append` and `crane mutate --set-platform`, and returns its digest.
 */
export function pushTestImage(reference: string, platform = "linux/amd64", layerSizes: readonly number[] = [2048, 4096]): string {
    const layers = layerSizes.map((size) => writeRandomLayer(size));
    crane(["append", "--oci-empty-base", ...layers.flatMap((layer) => ["-f", layer]), "-t", reference]);
    crane(["mutate", "--set-platform", platform, reference]);
    for (const layer of layers) fs.rmSync(path.dirname(layer), { recursive: true, force: true });
    return crane(["digest", reference]);
}

/**
 * Pushes `linux/amd64` and `linux/arm64` images to `<repository>:amd64` and `<repository>:arm64`
 * and an OCI index of both to `<repository>:<tag>`. The amd64 image has a 3 MiB layer, so that
 * copies stream more than one network buffer. Returns the index digest.
 */
export function pushTestIndex(repository: string, tag: string): string {
    const amd64 = pushTestImage(`${repository}:amd64`, "linux/amd64", [3 * 1024 * 1024, 1024]);
    const arm64 = pushTestImage(`${repository}:arm64`, "linux/arm64", [2048]);
    crane(["index", "append", "-m", `${repository}@${amd64}`, "-m", `${repository}@${arm64}`, "-t", `${repository}:${tag}`]);
    return crane(["digest", `${repository}:${tag}`]);
}
