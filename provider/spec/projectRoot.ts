import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Finds the folder of the Pulumi project (the nearest `Pulumi.yaml` or `Pulumi.yml` at or above
 * `start`), which relative paths of image inputs refer to. The program and the provider run in
 * different folders when the project's `main` points into a subfolder, but share this one.
 * Returns `start` when no project file is found.
 */
export function findProjectRoot(start: string = process.cwd()): string {
    let dir = path.resolve(start);
    for (;;) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"))) return dir;
        const parent = path.dirname(dir);
        if (parent === dir) return path.resolve(start);
        dir = parent;
    }
}
