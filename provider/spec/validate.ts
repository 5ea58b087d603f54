import { sbomFormats, type KoImageSpec } from "./spec";

/** One invalid value of a ko image spec. */
export interface SpecProblem {
    /** Path to the value, in resource input names: `["platforms", 1]`. */
    readonly path: readonly (string | number)[];
    /** The invalid value, when there is one. */
    readonly value?: unknown;
    /** What is wrong and what is accepted. */
    readonly message: string;
}

/** GoReleaser's rule for `main` (v2.17 `validateMainPath`): a relative package path. */
const relativeMainPath = /^\.?(\.\/[^/]?.*)?$/;
/** `os/arch` or `os/arch/variant`, as ko's `--platform` accepts, or ko's `all`. */
const platformPattern = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9.]+)?$/;
/** The GOOS/GOARCH pairs Go 1.26 builds (`go tool dist list`). */
const goPlatforms = new Set(
    (
        "aix/ppc64 android/386 android/amd64 android/arm android/arm64 darwin/amd64 darwin/arm64 dragonfly/amd64 freebsd/386 " +
        "freebsd/amd64 freebsd/arm freebsd/arm64 illumos/amd64 ios/amd64 ios/arm64 js/wasm linux/386 linux/amd64 linux/arm " +
        "linux/arm64 linux/loong64 linux/mips linux/mips64 linux/mips64le linux/mipsle linux/ppc64 linux/ppc64le linux/riscv64 " +
        "linux/s390x netbsd/386 netbsd/amd64 netbsd/arm netbsd/arm64 openbsd/386 openbsd/amd64 openbsd/arm openbsd/arm64 " +
        "openbsd/ppc64 openbsd/riscv64 plan9/386 plan9/amd64 plan9/arm solaris/amd64 wasip1/wasm windows/386 windows/amd64 windows/arm64"
    ).split(" "),
);
/** A repository reference without tag or digest: lower-case, optional registry host and port. */
const repositoryPattern = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;
/** An image reference: `[registry[:port]/]path[:tag][@sha256:<hex>]`, as ko's reference parser accepts it. */
const imageReferencePattern = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/;
/** A Docker tag (distribution's grammar). */
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Checks the values of a spec whose types already passed the field schemas, and returns every
 * problem found, in field order.
 */
export function validateImageSpec(spec: KoImageSpec): SpecProblem[] {
    const problems: SpecProblem[] = [];

    if (spec.main !== undefined && spec.main !== "") {
        if (!relativeMainPath.test(spec.main)) {
            problems.push({
                path: ["main"],
                value: spec.main,
                message: "must be a relative package path such as ./cmd/app, . or ./...",
            });
        } else if (spec.main.endsWith(".go")) {
            problems.push({
                path: ["main"],
                value: spec.main,
                message: "must point to a package directory, not a .go file: use the file's directory, such as ./cmd/app",
            });
        }
    }

    if (spec.baseImage !== undefined && spec.baseImage !== "" && !imageReferencePattern.test(spec.baseImage)) {
        problems.push({
            path: ["baseImage"],
            value: spec.baseImage,
            message: "is not a valid image reference: use [registry[:port]/]repository[:tag][@sha256:<hex>], such as cgr.dev/chainguard/static:latest",
        });
    }

    const repositories = (spec.repositories ?? []).filter((repository) => repository.trim() !== "");
    if (repositories.length === 0) {
        problems.push({
            path: ["repositories"],
            value: spec.repositories,
            message: "missing: set at least one repository, such as ghcr.io/acme/app, or KO_DOCKER_REPO",
        });
    }
    (spec.repositories ?? []).forEach((repository, index) => {
        const pathLength = repository.replace(/^[^/]*[.:][^/]*\//, "").length;
        if (repository.trim() !== "" && (!repositoryPattern.test(repository) || pathLength < 2 || pathLength > 255)) {
            problems.push({
                path: ["repositories", index],
                value: repository,
                message: "is not a valid repository: use lower-case [registry[:port]/]path, with a path of 2 to 255 characters and no tag or digest",
            });
        }
    });

    const platforms = spec.platforms ?? [];
    platforms.forEach((platform, index) => {
        if (platform === "all" && platforms.length > 1) {
            problems.push({ path: ["platforms", index], value: platform, message: "all must be the only platform" });
        } else if (platform !== "all" && !platformPattern.test(platform)) {
            problems.push({
                path: ["platforms", index],
                value: platform,
                message: "is not a valid platform: use os/arch or os/arch/variant, such as linux/arm64 or linux/arm/v7, or all",
            });
        } else if (platform !== "all" && !goPlatforms.has(platform.split("/").slice(0, 2).join("/"))) {
            problems.push({
                path: ["platforms", index],
                value: platform,
                message: "is not a platform Go can build for: use a GOOS/GOARCH pair that `go tool dist list` prints, such as linux/amd64",
            });
        }
    });

    const tags = spec.tags ?? [];
    tags.forEach((tag, index) => {
        if (tag.trim() !== "" && !tagPattern.test(tag)) {
            problems.push({
                path: ["tags", index],
                value: tag,
                message: "is not a valid tag: use up to 128 letters, digits, _, . and -, not starting with . or -",
            });
        }
    });
    if (tags.length > 0 && tags.every((tag) => tag.trim() === "")) {
        problems.push({ path: ["tags"], value: tags, message: "has no tag left once empty tags are dropped" });
    }

    if (spec.sbom !== undefined && spec.sbom !== "" && !sbomFormats.includes(spec.sbom)) {
        problems.push({
            path: ["sbom"],
            value: spec.sbom,
            message: `is not a supported SBOM format: use one of ${sbomFormats.join(", ")}`,
        });
    }

    for (const input of ["creationTime", "koDataCreationTime"] as const) {
        const value = spec[input];
        if (value !== undefined && value !== "" && !/^-?[0-9]+$/.test(value.trim())) {
            problems.push({ path: [input], value, message: "must be a Unix time in whole seconds, such as 1672531200" });
        }
    }

    (spec.env ?? []).forEach((entry, index) => {
        if (!/^[^=\s]+=/.test(entry)) {
            problems.push({ path: ["env", index], value: entry, message: "must have the form NAME=value" });
        }
    });

    return problems;
}
