// Advice appended to "map has no entry for key" errors, so that a failed template shows what to write instead.

import { quoteGoString } from "./quote";

/** Variables that GoReleaser sets only for templates evaluated per artifact or per build target. */
const perArtifactVariables = new Set([
    "Os", "Arch", "Amd64", "I386", "Arm", "Arm64", "Mips", "Ppc64", "Riscv64",
    "Binary", "ArtifactName", "ArtifactExt", "ArtifactPath", "Target", "Name", "Ext", "Path",
]);

/** Variables that only GoReleaser Pro sets. */
const proVariables = new Set([
    "PrefixedTag", "PrefixedPreviousTag", "PrefixedSummary", "IsRelease", "IsMerging", "Artifacts", "Metadata", "Var",
]);

/** Explains a missing environment variable and how to give it a default. */
export function missingEnvHint(name: string): string {
    const quoted = quoteGoString(name);
    return `the environment variable ${name} is not set, so set it, write {{ envOrDefault ${quoted} "default" }} for a default, or test it with {{ if isEnvSet ${quoted} }}`;
}

/** Explains a missing top-level variable: a likely misspelling, a variable kos templates never get, or the list of valid names. */
export function missingVariableHint(name: string, available: readonly string[]): string {
    const sameIgnoringCase = available.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (sameIgnoringCase) return `variable names are case-sensitive: did you mean .${sameIgnoringCase}?`;
    if (perArtifactVariables.has(name)) return `.${name} is set only in GoReleaser templates evaluated per artifact, and kos fields are not`;
    if (proVariables.has(name)) return `.${name} is a GoReleaser Pro variable, which open-source GoReleaser templates do not have`;
    return `the variables are ${available.map((candidate) => `.${candidate}`).join(", ")}`;
}
