// Go's path/filepath functions on Unix-like systems, which GoReleaser exposes as the template
// functions dir, base, abs and join. They differ from node:path at the edges: Go's Dir("a/b/") is
// "a/b" where Node's dirname gives "a", and Go writes "." for an empty path.

import * as path from "node:path";

/** Returns the shortest equivalent path, as Go's filepath.Clean does; "" becomes ".". */
export function cleanPath(value: string): string {
    if (value === "") return ".";
    const normalized = path.posix.normalize(value);
    return normalized.length > 1 && normalized.endsWith("/") ? normalized.slice(0, -1) : normalized;
}

/** Returns all but the last element, cleaned, as Go's filepath.Dir does. */
export function dirPath(value: string): string {
    const slash = value.lastIndexOf("/");
    return cleanPath(value.slice(0, slash + 1));
}

/** Returns the last element without trailing slashes, as Go's filepath.Base does ("" becomes ".", "///" becomes "/"). */
export function basePath(value: string): string {
    if (value === "") return ".";
    const trimmed = value.replace(/\/+$/, "");
    if (trimmed === "") return "/";
    return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Joins non-empty elements with "/" and cleans the result, as Go's filepath.Join does; no elements give "". */
export function joinPath(elements: readonly string[]): string {
    const nonEmpty = elements.filter((element) => element !== "");
    return nonEmpty.length === 0 ? "" : cleanPath(nonEmpty.join("/"));
}

/** Makes a path absolute against `workingDir` and cleans it, as Go's filepath.Abs does against the process's directory. */
export function absolutePath(value: string, workingDir: string): string {
    return value.startsWith("/") ? cleanPath(value) : cleanPath(joinPath([workingDir, value]));
}
