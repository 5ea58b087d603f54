import { compareStrings } from "../fingerprint/digest";
import type { ResolvedImageSpec } from "../spec/spec";

/** Whether `ko build` pushes, or only builds and computes the digest a push would publish. */
export type KoMode = "push" | "build-only";

/**
 * Builds the `ko build` arguments for one image. The import path is the spec's `main`, relative
 * to the working directory that ko runs in.
 */
export function makeKoBuildArgs(spec: ResolvedImageSpec, imageRefsFile: string, mode: KoMode): string[] {
    const args = ["build", spec.main, `--platform=${spec.platforms.join(",")}`, `--tags=${spec.tags.join(",")}`];
    args.push(`--sbom=${spec.sbom}`, `--image-refs=${imageRefsFile}`);
    if (spec.sbomDirectory !== undefined) args.push(`--sbom-dir=${spec.sbomDirectory}`);

    // ko picks one naming mode with this precedence (v0.19 `MakeNamer`); passing only that one
    // keeps ko from warning about combinations.
    if (spec.preserveImportPaths) args.push("--preserve-import-paths");
    else if (spec.baseImportPaths) args.push("--base-import-paths");
    else if (spec.bare) args.push("--bare");

    for (const [key, value] of sortedEntries(spec.labels)) args.push(`--image-label=${csvField(`${key}=${value}`)}`);
    for (const [key, value] of sortedEntries(spec.annotations)) args.push(`--image-annotation=${csvField(`${key}=${value}`)}`);
    if (spec.user !== undefined) args.push(`--image-user=${spec.user}`);
    if (mode === "build-only") args.push("--push=false");
    return args;
}

function sortedEntries(map: Record<string, string>): [string, string][] {
    return Object.entries(map).sort(([a], [b]) => compareStrings(a, b));
}

/**
 * Quotes a value for a pflag string-slice flag, which reads each value as one CSV record:
 * without quotes, a comma inside a label value would split it into two labels.
 */
function csvField(value: string): string {
    return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
