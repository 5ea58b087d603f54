import { FingerprintError } from "./errors";

/**
 * The Go target of one image platform: the variables that ko v0.19 sets for `go build` before it
 * adds the process environment and the build's `env` entries.
 */
export interface GoTarget {
    /** Platforms that map to this target, such as `linux/arm64` and `linux/arm64/v8`. */
    readonly platforms: readonly string[];
    /** GOOS, GOARCH and, from the variant, GOARM or GOAMD64. */
    readonly variables: Readonly<Record<string, string>>;
}

/**
 * Maps each `os/arch[/variant]` platform to its Go target and merges platforms with the same
 * target, because their builds read the same files. Targets come out sorted by platform.
 *
 * The variant becomes GOARM for arm and GOAMD64 for amd64, as in ko v0.19 (`buildEnv`). GOARM is
 * the variant's number, capped at 7 and unset below 5. Other architectures ignore the variant.
 * Raises a FingerprintError for `all`, whose platforms only the base image lists, and for a
 * platform that is not `os/arch[/variant]`.
 */
export function resolveGoTargets(platforms: readonly string[]): GoTarget[] {
    if (platforms.length === 0) {
        throw new FingerprintError("platforms is empty: list at least one os/arch platform, such as linux/amd64");
    }
    const targets = new Map<string, { platforms: string[]; variables: Record<string, string> }>();
    for (const platform of [...new Set(platforms)].sort()) {
        const variables = goVariablesOf(platform);
        const key = JSON.stringify(variables);
        const target = targets.get(key);
        if (target) target.platforms.push(platform);
        else targets.set(key, { platforms: [platform], variables });
    }
    return [...targets.values()];
}

function goVariablesOf(platform: string): Record<string, string> {
    if (platform === "all") {
        throw new FingerprintError(
            'platform "all" cannot be fingerprinted: ko takes its platforms from the base image; list the platforms explicitly, such as linux/amd64 and linux/arm64',
        );
    }
    const parts = platform.split("/");
    if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === "")) {
        throw new FingerprintError(`platform ${JSON.stringify(platform)} is invalid: use os/arch or os/arch/variant, such as linux/arm64 or linux/arm/v7`);
    }
    const [os, arch, variant] = parts;
    const variables: Record<string, string> = { GOOS: os, GOARCH: arch };
    // NOTE: ko takes the variant from the base image's platform, not from the requested one, so
    // its GOARM can differ: `linux/arm` on a base index entry `linux/arm/v7` builds with GOARM=7.
    if (variant !== undefined && arch === "arm") {
        const goarm = goarmOf(platform, variant);
        if (goarm !== undefined) variables.GOARM = goarm;
    } else if (variant !== undefined && arch === "amd64") {
        variables.GOAMD64 = variant;
    }
    return variables;
}

function goarmOf(platform: string, variant: string): string | undefined {
    const match = /^v(\d+)$/.exec(variant);
    if (!match) {
        throw new FingerprintError(`platform ${JSON.stringify(platform)} has an invalid arm variant: use v5, v6 or v7, such as linux/arm/v7`);
    }
    const version = Number(match[1]);
    if (version < 5) return undefined;
    return version > 7 ? "7" : String(version);
}
