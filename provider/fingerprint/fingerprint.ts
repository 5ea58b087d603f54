import * as fs from "node:fs/promises";
import * as path from "node:path";
import { compareStrings, digestJson, digestNamedEntries, FileDigester, sortRecord } from "./digest";
import { FingerprintError } from "./errors";
import {
    findGoBinary,
    listPackages,
    makeGoEnvironment,
    parseEnvEntries,
    parseGoFlags,
    readGoEnv,
    selectListFlags,
    sourceFileFields,
    type GoInvocation,
    type GoListModule,
    type GoListPackage,
} from "./goCommand";
import { digestKodata } from "./kodata";
import { resolveGoTargets, type GoTarget } from "./platforms";

/** The inputs of one `ko build` that decide which sources it reads. */
export interface SourceFingerprintRequest {
    /** Absolute directory of the Go module, where ko runs `go build`. */
    readonly workingDir: string;
    /** The main package relative to `workingDir`, such as `./cmd/app` or `.`. */
    readonly main: string;
    /** Target platforms as `os/arch[/variant]`, such as `linux/arm/v7`; `all` is rejected. */
    readonly platforms: readonly string[];
    /** Go build flags as separate arguments, such as `["-tags", "netgo"]` or `["-tags=netgo"]`; default none. */
    readonly flags?: readonly string[];
    /** Linker flags of the build; only their digest is used. Default none. */
    readonly ldflags?: readonly string[];
    /** The build's `NAME=value` entries, such as `CGO_ENABLED=1`; they override `baseEnv`. Default none. */
    readonly env?: readonly string[];
    /**
     * Environment that ko would inherit; default `process.env`. PATH and `KO_GO_PATH` locate go,
     * and Go's own variables (GOFLAGS, GOWORK, GOEXPERIMENT, CGO_ENABLED…) apply as in the build.
     */
    readonly baseEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * Digests of the sources and settings that a `ko build` of one main package reads, grouped so
 * that a diff names what changed. It contains no absolute paths and no times, so the same sources checked out at
 * another path, or touched without edits, give an equal fingerprint. Keys are sorted.
 */
export interface SourceFingerprint {
    /** `go env GOVERSION` in the working directory, such as `go1.26.8`; it covers the standard library. */
    readonly goVersion: string;
    /** Digest of the main package's kodata tree; absent when ko would add no files. */
    readonly kodata?: string;
    /**
     * Modules of the build. A module from the module cache maps `path@version` (with
     * ` => path@version` when replaced by another module) to its go.sum hash, such as `h1:…`.
     * The main module and modules replaced by a local folder map their path to the digest of
     * their go.mod, which sets the language version and GODEBUG defaults.
     */
    readonly modules: Readonly<Record<string, string>>;
    /**
     * Digests of the packages that go reads from outside the module cache (the main module, local
     * replacements, workspace modules, vendored packages), by import path. Each digest covers the
     * names and contents of the package's Go, cgo, assembly, syso and embedded files, merged over
     * all platforms. Test files and files that no platform's build constraints select are left out.
     */
    readonly packages: Readonly<Record<string, string>>;
    /** Digest of the PGO profile the build applies (`default.pgo` of the main package under `-pgo=auto`); absent without one. */
    readonly pgoProfile?: string;
    /** The requested platforms, sorted, without duplicates. */
    readonly platforms: readonly string[];
    /** Digest of the flags, ldflags, env entries and, per Go target, the effective Go variables such as GOFLAGS and CGO_ENABLED. */
    readonly settings: string;
}

/** Go variables that change the compiled output on every target. */
const goVariables = ["CGO_ENABLED", "GOFLAGS", "GOEXPERIMENT", "GOFIPS140"];
/** Variables that change the compiled output when cgo is enabled. */
const cgoVariables = ["CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_FFLAGS", "CGO_LDFLAGS"];
/** The variable that selects the instruction-set level of each GOARCH (Go 1.26 `go help environment`). */
const architectureVariables: Readonly<Record<string, string>> = {
    "386": "GO386",
    amd64: "GOAMD64",
    arm: "GOARM",
    arm64: "GOARM64",
    mips: "GOMIPS",
    mipsle: "GOMIPS",
    mips64: "GOMIPS64",
    mips64le: "GOMIPS64",
    ppc64: "GOPPC64",
    ppc64le: "GOPPC64",
    riscv64: "GORISCV64",
    wasm: "GOWASM",
};
const queriedGoVariables = ["GOVERSION", ...goVariables, ...cgoVariables, ...new Set(Object.values(architectureVariables))];

/** Output of `go list` and `go env` for one target. */
interface TargetListing {
    readonly target: GoTarget;
    readonly packages: readonly GoListPackage[];
    readonly goEnv: Readonly<Record<string, string>>;
}

/**
 * Computes the source fingerprint of one ko image without building it. For each distinct Go
 * target of the platforms, it runs `go list -deps` and `go env` in parallel with the environment
 * ko gives `go build`, then digests the listed files of local packages, the module versions, the
 * kodata tree and the PGO profile. Each file is read once.
 *
 * Raises a FingerprintError when go is missing, when `go list` or `go env` fails (with the
 * command, folder and go's error output), or when a request value is invalid.
 */
export async function computeSourceFingerprint(request: SourceFingerprintRequest): Promise<SourceFingerprint> {
    const baseEnv = request.baseEnv ?? process.env;
    const flags = request.flags ?? [];
    const buildEnv = request.env ?? [];
    await assertWorkingDir(request.workingDir);
    if (request.main.trim() === "") {
        throw new FingerprintError('main is empty: set it to the main package relative to the working directory, such as ./cmd/app or "."');
    }
    parseEnvEntries(buildEnv);
    const targets = resolveGoTargets(request.platforms);
    const go = findGoBinary(baseEnv);

    const listFlags = selectListFlags(flags);
    const listings = await Promise.all(
        targets.map(async (target): Promise<TargetListing> => {
            const invocation: GoInvocation = {
                go,
                workingDir: request.workingDir,
                env: makeGoEnvironment(target, baseEnv, buildEnv),
                description: target.platforms.join(", "),
            };
            const [packages, goEnv] = await Promise.all([listPackages(invocation, request.main, listFlags), readGoEnv(invocation, queriedGoVariables)]);
            return { target, packages, goEnv };
        }),
    );

    const digester = new FileDigester();
    const sources = collectSources(listings);
    const mainPackageDir = findMainPackageDir(request.main, listings);
    const goEnv = listings[0].goEnv;
    const [packages, modules, kodata, pgoProfile] = await Promise.all([
        digestPackages(sources.packageFiles, digester),
        digestModules(sources.modules, digester),
        digestKodata(mainPackageDir, digester),
        digestPgoProfile(request.workingDir, mainPackageDir, [...splitGoFlags(goEnv.GOFLAGS), ...flags], digester),
    ]);

    const fingerprint: SourceFingerprint = {
        goVersion: goEnv.GOVERSION,
        ...(kodata === undefined ? {} : { kodata }),
        modules,
        packages,
        ...(pgoProfile === undefined ? {} : { pgoProfile }),
        platforms: [...new Set(request.platforms)].sort(compareStrings),
        settings: digestSettings(request, listings),
    };
    return fingerprint;
}

async function assertWorkingDir(workingDir: string): Promise<void> {
    if (!path.isAbsolute(workingDir)) {
        throw new FingerprintError(`workingDir ${JSON.stringify(workingDir)} is not absolute: resolve it against the project folder first`);
    }
    const stat = await fs.stat(workingDir).catch(() => undefined);
    if (!stat?.isDirectory()) {
        throw new FingerprintError(`working directory ${workingDir} does not exist: set workingDir to the folder of the Go module to build`);
    }
}

/** Files of one local package: its folder and the union of the file names that any target lists. */
interface PackageFiles {
    readonly dir: string;
    readonly names: Set<string>;
}

interface CollectedSources {
    /** Local packages by import path. */
    readonly packageFiles: Map<string, PackageFiles>;
    /** Modules of all listed non-standard packages, by fingerprint key. */
    readonly modules: Map<string, GoListModule>;
}

/** Merges the listings of all targets into local packages and modules. */
function collectSources(listings: readonly TargetListing[]): CollectedSources {
    const packageFiles = new Map<string, PackageFiles>();
    const modules = new Map<string, GoListModule>();
    for (const { packages } of listings) {
        for (const listed of packages) {
            if (listed.Standard) continue;
            if (listed.Module) modules.set(moduleKey(listed.Module), listed.Module);
            if (!isReadFromOutsideModuleCache(listed) || listed.Dir === undefined) continue;

            const importPath = plainImportPath(listed.ImportPath);
            let files = packageFiles.get(importPath);
            if (!files) {
                files = { dir: listed.Dir, names: new Set() };
                packageFiles.set(importPath, files);
            }
            // NOTE: files that cgo reads from outside the package folder, such as `#include
            // "../common/x.h"`, and the C toolchain's version are not covered.
            for (const field of sourceFileFields) {
                for (const name of listed[field] ?? []) files.names.add(name);
            }
        }
    }
    return { packageFiles, modules };
}

/**
 * Tells whether go reads the package from a folder that can change under the same module
 * version. Such folders belong to GOPATH mode (no module), the main or a workspace module, a
 * module replaced by a local folder, or a vendored module (listed without a module folder).
 */
function isReadFromOutsideModuleCache(listed: GoListPackage): boolean {
    const module = listed.Module;
    if (!module || module.Main || !module.Dir) return true;
    return isLocalReplacement(module);
}

function isLocalReplacement(module: GoListModule): boolean {
    return module.Replace !== undefined && !module.Replace.Version;
}

/**
 * Drops the ` [variant]` suffix that go list adds to the import path of a package that is built
 * more than once, so that each package has one entry.
 */
function plainImportPath(importPath: string): string {
    const bracket = importPath.indexOf(" [");
    return bracket < 0 ? importPath : importPath.slice(0, bracket);
}

function moduleKey(module: GoListModule): string {
    if (module.Main || isLocalReplacement(module) || !module.Version) return module.Path;
    const replacement = module.Replace ? ` => ${module.Replace.Path}@${module.Replace.Version}` : "";
    return `${module.Path}@${module.Version}${replacement}`;
}

/** Returns the folder of the package that `main` names: the one listed package that is not only a dependency. */
function findMainPackageDir(main: string, listings: readonly TargetListing[]): string {
    const roots = new Map<string, string>();
    for (const { packages } of listings) {
        for (const listed of packages) {
            if (!listed.DepOnly && listed.Dir !== undefined) roots.set(plainImportPath(listed.ImportPath), listed.Dir);
        }
    }
    if (roots.size !== 1) {
        throw new FingerprintError(
            `main ${JSON.stringify(main)} matches ${roots.size} packages (${[...roots.keys()].join(", ")}): set main to the one main package of the image, such as ./cmd/app`,
        );
    }
    const [dir] = roots.values();
    return dir;
}

async function digestPackages(packageFiles: ReadonlyMap<string, PackageFiles>, digester: FileDigester): Promise<Record<string, string>> {
    const digests: Record<string, string> = {};
    await Promise.all(
        [...packageFiles].map(async ([importPath, files]) => {
            const entries = await Promise.all(
                [...files.names].map(async (name): Promise<[string, string]> => [name, await digester.digestFile(path.join(files.dir, name))]),
            );
            digests[importPath] = digestNamedEntries(entries);
        }),
    );
    return sortRecord(digests);
}

/**
 * Digests the go.mod directives that change every binary of a module: `module`, `go`,
 * `toolchain` and `godebug`. `require`, `replace` and `exclude` lines are left out, because
 * their effect shows in the versions of the modules a program actually links, which are
 * fingerprinted one by one. So a dependency bump changes only the images that use it.
 */
async function digestBuildDirectives(goModFile: string): Promise<string> {
    const text = await fs.readFile(goModFile, "utf8");
    const kept: string[] = [];
    let inGodebugBlock = false;
    for (const rawLine of text.split("\n")) {
        const line = rawLine.replace(/\/\/.*$/, "").trim();
        if (inGodebugBlock) {
            if (line === ")") inGodebugBlock = false;
            else if (line !== "") kept.push(`godebug ${line}`);
        } else if (/^godebug\s*\($/.test(line)) {
            inGodebugBlock = true;
        } else if (/^(module|go|toolchain|godebug)\s/.test(line)) {
            kept.push(line.replace(/\s+/g, " "));
        }
    }
    return digestJson(kept);
}

/** Value of a module from the module cache whose checksum neither go list nor go.sum reports. */
const missingChecksum = "no checksum";

async function digestModules(modules: ReadonlyMap<string, GoListModule>, digester: FileDigester): Promise<Record<string, string>> {
    const digests: Record<string, string> = {};
    let goSumLines: Promise<Map<string, string>> | undefined;
    await Promise.all(
        [...modules].map(async ([key, module]) => {
            if (module.Main || isLocalReplacement(module) || !module.Version) {
                const goMod = module.Replace?.GoMod ?? module.GoMod;
                digests[key] = goMod === undefined ? "no go.mod" : await digestBuildDirectives(goMod);
                return;
            }
            const effective = module.Replace ?? module;
            let sum = effective.Sum;
            if (!sum) {
                goSumLines ??= readGoSumLines(modules);
                sum = (await goSumLines).get(`${effective.Path} ${effective.Version}`);
            }
            digests[key] = sum ?? missingChecksum;
        }),
    );
    return sortRecord(digests);
}

/** Reads the go.sum next to each main module's go.mod into a map from `path version` to hash. */
async function readGoSumLines(modules: ReadonlyMap<string, GoListModule>): Promise<Map<string, string>> {
    const lines = new Map<string, string>();
    for (const module of modules.values()) {
        if (!module.Main || module.GoMod === undefined) continue;
        const text = await fs.readFile(path.join(path.dirname(module.GoMod), "go.sum"), "utf8").catch(() => "");
        for (const line of text.split("\n")) {
            const [modulePath, version, hash] = line.trim().split(/\s+/);
            if (hash !== undefined && !version.endsWith("/go.mod")) lines.set(`${modulePath} ${version}`, hash);
        }
    }
    return lines;
}

/** Splits GOFLAGS as go does: space-separated flags whose values contain no spaces. */
function splitGoFlags(goflags: string | undefined): string[] {
    return (goflags ?? "").split(/\s+/).filter((flag) => flag !== "");
}

/**
 * Digests the PGO profile of the build. The last `-pgo` flag wins, and GOFLAGS comes before the
 * build's flags. `auto` (Go's default since 1.21) reads `default.pgo` in the main package's
 * folder when it exists, and `off` reads none. Any other value is a path relative to the working
 * directory.
 */
async function digestPgoProfile(workingDir: string, mainPackageDir: string, flags: readonly string[], digester: FileDigester): Promise<string | undefined> {
    const pgo = parseGoFlags(flags).filter((flag) => flag.name === "pgo").at(-1)?.value ?? "auto";
    if (pgo === "off") return undefined;

    const profile = pgo === "auto" ? path.join(mainPackageDir, "default.pgo") : path.resolve(workingDir, pgo);
    const stat = await fs.stat(profile).catch(() => undefined);
    if (!stat?.isFile()) {
        if (pgo === "auto") return undefined;
        throw new FingerprintError(`PGO profile ${profile} from -pgo=${pgo} was not found: fix the -pgo flag or add the profile`);
    }
    return digester.digestFile(profile);
}

/** Digests the request's flags and env entries and the effective Go variables of each target. */
function digestSettings(request: SourceFingerprintRequest, listings: readonly TargetListing[]): string {
    const targets = listings.map(({ target, goEnv }) => {
        const names = [...goVariables];
        const architectureVariable = architectureVariables[target.variables.GOARCH];
        if (architectureVariable !== undefined) names.push(architectureVariable);
        if (goEnv.CGO_ENABLED === "1") names.push(...cgoVariables);

        const variables: Record<string, string> = {};
        for (const name of names) variables[name] = goEnv[name] ?? "";
        return { platforms: target.platforms, variables: sortRecord(variables) };
    });
    return digestJson({
        env: request.env ?? [],
        flags: request.flags ?? [],
        ldflags: request.ldflags ?? [],
        targets,
    });
}
