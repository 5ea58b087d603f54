import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The repository's root folder (tests run compiled, from dist/test/...). */
export const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** Writes files into a new temporary folder and returns its path. */
export function writeTempFiles(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-test-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}
