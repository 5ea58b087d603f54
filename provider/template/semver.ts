// Semantic versions as GoReleaser reads them with github.com/Masterminds/semver/v3 NewVersion:
// an optional leading "v", MAJOR[.MINOR[.PATCH]] (missing parts are 0), then -PRERELEASE and +METADATA.

/** A parsed semantic version. */
export interface SemanticVersion {
    readonly major: bigint;
    readonly minor: bigint;
    readonly patch: bigint;
    /** Pre-release identifiers without the leading `-`, such as `rc.1`; empty when absent. */
    readonly prerelease: string;
    /** Build metadata without the leading `+`; empty when absent. */
    readonly metadata: string;
}

/** Raised for text that is not a semantic version. */
export class SemverError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SemverError";
    }
}

const versionSyntax =
    /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

const maxUint64 = (1n << 64n) - 1n;

/**
 * Parses a version such as `v1.2.3-rc.1+build.5`. Accepts what Masterminds' NewVersion accepts
 * (including `1` and `1.2`, read as `1.0.0` and `1.2.0`) and rejects numeric pre-release
 * identifiers with leading zeros, as it does. Throws a {@link SemverError} naming the text.
 */
export function parseSemver(text: string): SemanticVersion {
    const match = versionSyntax.exec(text);
    if (!match) {
        throw new SemverError(`${JSON.stringify(text)} is not a semantic version: expected MAJOR.MINOR.PATCH with an optional leading v, such as v1.2.3 or 1.2.3-rc.1`);
    }
    const [, major, minor = "0", patch = "0", prerelease = "", metadata = ""] = match;
    for (const identifier of prerelease === "" ? [] : prerelease.split(".")) {
        if (/^0[0-9]+$/.test(identifier)) {
            throw new SemverError(`${JSON.stringify(text)} is not a semantic version: the pre-release identifier ${identifier} has a leading zero`);
        }
    }
    const numbers = [major, minor, patch].map((part) => BigInt(part));
    if (numbers.some((value) => value > maxUint64)) {
        throw new SemverError(`${JSON.stringify(text)} is not a semantic version: a number is larger than 64 bits`);
    }
    return { major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease, metadata };
}

/** Formats a version as `MAJOR.MINOR.PATCH[-PRERELEASE][+METADATA]`, without a `v`. */
export function formatSemver(version: SemanticVersion): string {
    const prerelease = version.prerelease === "" ? "" : `-${version.prerelease}`;
    const metadata = version.metadata === "" ? "" : `+${version.metadata}`;
    return `${version.major}.${version.minor}.${version.patch}${prerelease}${metadata}`;
}

/** Part of a version that {@link incrementSemver} raises. */
export type SemverPart = "major" | "minor" | "patch";

/**
 * Returns the next version, keeping a leading `v`: `incrementSemver("v1.2.3", "minor")` is
 * `v1.3.0`. Pre-release and metadata are dropped. As in Masterminds semver, the next patch of a
 * pre-release is its release (`1.2.3-rc.1` becomes `1.2.3`).
 */
export function incrementSemver(text: string, part: SemverPart): string {
    const version = parseSemver(text);
    const prefix = text.startsWith("v") ? "v" : "";
    let next: SemanticVersion;
    switch (part) {
        case "major":
            next = { major: version.major + 1n, minor: 0n, patch: 0n, prerelease: "", metadata: "" };
            break;
        case "minor":
            next = { major: version.major, minor: version.minor + 1n, patch: 0n, prerelease: "", metadata: "" };
            break;
        case "patch": {
            const patch = version.prerelease === "" ? version.patch + 1n : version.patch;
            next = { major: version.major, minor: version.minor, patch, prerelease: "", metadata: "" };
            break;
        }
    }
    return prefix + formatSemver(next);
}
