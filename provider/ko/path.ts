import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Finds an executable the way a shell would: an absolute or relative path is checked as is,
 * a bare name is searched in each folder of `searchPath`. Returns its path, or undefined.
 */
export function findExecutable(name: string, searchPath: string | undefined): string | undefined {
    const candidates = name.includes("/") ? [name] : (searchPath ?? "").split(path.delimiter).filter((dir) => dir !== "").map((dir) => path.join(dir, name));
    return candidates.find(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}
