import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findExecutable } from "../provider/ko/path";

/** Platforms of the base image fixture. */
export const fixturePlatforms = ["linux/amd64", "linux/arm64"] as const;

/**
 * Pushes a small multi-platform base image to a registry, made offline with `crane`: one layer
 * with `/etc/passwd`, `/etc/group` and `/tmp`, and the non-root user 65532 that distroless images
 * use. The layer has fixed owners and times, so the same registry gets the same digests on every
 * run. Returns the index reference, `<registry>/kos-base:latest`.
 */
export function pushBaseImageFixture(registry: string): string {
    const crane = findExecutable("crane", process.env.PATH);
    if (!crane) throw new Error("crane was not found on PATH: run `npm run setup`, which installs it into .tools/bin");

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-base-"));
    try {
        const layer = path.join(scratch, "layer.tar");
        writeRootLayer(path.join(scratch, "rootfs"), layer);

        const repository = `${registry}/kos-base`;
        const images = fixturePlatforms.map((platform) => {
            const tag = `${repository}:${platform.replace("/", "-")}`;
            execFileSync(crane, ["append", "--oci-empty-base", "-f", layer, "-t", tag], { stdio: "pipe" });
            execFileSync(crane, ["mutate", tag, "--set-platform", platform, "--user", "65532", "-t", tag], { stdio: "pipe" });
            return tag;
        });
        const index = `${repository}:latest`;
        execFileSync(crane, ["index", "append", ...images.flatMap((image) => ["-m", image]), "-t", index], { stdio: "pipe" });
        return index;
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

function writeRootLayer(rootfs: string, layer: string): void {
    fs.mkdirSync(path.join(rootfs, "etc"), { recursive: true });
    fs.mkdirSync(path.join(rootfs, "tmp"), { recursive: true });
    fs.writeFileSync(path.join(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
    fs.writeFileSync(path.join(rootfs, "etc", "group"), "root:x:0:\nnonroot:x:65532:\n");
    execFileSync("tar", ["--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "--sort=name", "-cf", layer, "-C", rootfs, "."], { stdio: "pipe" });
}
