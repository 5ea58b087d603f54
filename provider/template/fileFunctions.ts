// GoReleaser's template functions that read files: readFile, mustReadFile and the checksum
// functions (sha256 "file" and the like), which print the file's digest in lower-case hex.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as zlib from "node:zlib";
import { EvaluationFailure } from "./errors";
import type { FunctionEnvironment, TemplateFunction } from "./functionTypes";
import { absolutePath } from "./goPath";
import { trimSpace } from "./strings";

/** Resolves a path as GoReleaser does: `~/` is the home directory, and a relative path starts at the working directory. */
function resolvePath(file: string, environment: FunctionEnvironment): string {
    const expanded = file.startsWith("~/") ? os.homedir() + file.slice(1) : file;
    return absolutePath(expanded, environment.workingDir);
}

function readBytes(functionName: string, file: string, environment: FunctionEnvironment): Buffer {
    const resolved = resolvePath(file, environment);
    try {
        return fs.readFileSync(resolved);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (error as Error).message;
        throw new EvaluationFailure(`${functionName}: cannot read ${JSON.stringify(file)} (${resolved}): ${reason}`, { cause: error });
    }
}

/** Returns the file's content without surrounding white space, as GoReleaser's mustReadFile does. */
function mustReadFile(file: string, environment: FunctionEnvironment): string {
    return trimSpace(readBytes("mustReadFile", file, environment).toString("utf8"));
}

/**
 * GoReleaser's checksum algorithms by template function name, with the node:crypto hash that
 * computes each. BLAKE3 has no node:crypto implementation, and crc32 needs zlib.crc32 (Node.js 22.2+).
 */
const checksumAlgorithms: readonly (readonly [name: string, nodeHash: string | undefined])[] = [
    ["md5", "md5"],
    ["sha1", "sha1"],
    ["sha224", "sha224"],
    ["sha256", "sha256"],
    ["sha384", "sha384"],
    ["sha512", "sha512"],
    ["sha3_224", "sha3-224"],
    ["sha3_256", "sha3-256"],
    ["sha3_384", "sha3-384"],
    ["sha3_512", "sha3-512"],
    // Go's blake2b.New512 and blake2s.New256 without a key, as GoReleaser uses them.
    ["blake2b", "blake2b512"],
    ["blake2s", "blake2s256"],
    ["crc32", undefined],
    ["blake3", undefined],
];

function checksum(name: string, nodeHash: string | undefined, file: string, environment: FunctionEnvironment): string {
    if (name === "crc32") {
        const crc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;
        if (!crc32) throw new EvaluationFailure("crc32 is not supported on this Node.js version: zlib.crc32 needs Node.js 22.2 or later");
        return crc32(readBytes(name, file, environment)).toString(16).padStart(8, "0");
    }
    if (nodeHash === undefined || !crypto.getHashes().includes(nodeHash)) {
        throw new EvaluationFailure(`${name} is not supported: node:crypto has no ${name} hash; use sha256 or another SHA-2 or SHA-3 function`);
    }
    return crypto.createHash(nodeHash).update(readBytes(name, file, environment)).digest("hex");
}

/** GoReleaser's functions that read files. */
export const fileFunctions: readonly TemplateFunction[] = [
    {
        name: "readFile",
        parameters: ["string"],
        call: ([file], environment) => {
            // GoReleaser's readFile turns any read error into an empty string.
            try {
                return mustReadFile(file as string, environment);
            } catch {
                return "";
            }
        },
    },
    { name: "mustReadFile", parameters: ["string"], call: ([file], environment) => mustReadFile(file as string, environment) },
    ...checksumAlgorithms.map(
        ([name, nodeHash]): TemplateFunction => ({
            name,
            parameters: ["string"],
            call: ([file], environment) => checksum(name, nodeHash, file as string, environment),
        }),
    ),
];
