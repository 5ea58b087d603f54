import { findExecutable } from "../ko/path";
import { FingerprintError } from "./errors";
import type { GoTarget } from "./platforms";

/** Module information that `go list -json` prints for a package (a subset of Go's `Module`). */
export interface GoListModule {
    readonly Path: string;
    readonly Version?: string;
    readonly Main?: boolean;
    readonly Dir?: string;
    readonly GoMod?: string;
    readonly Sum?: string;
    readonly Replace?: GoListModule;
}

/** The fields of `go list -json` that the fingerprint reads (a subset of Go's `Package`). */
export interface GoListPackage {
    readonly ImportPath: string;
    readonly Dir?: string;
    readonly Standard?: boolean;
    /** True for packages listed only because a listed package imports them. */
    readonly DepOnly?: boolean;
    readonly Module?: GoListModule;
    readonly GoFiles?: readonly string[];
    readonly CgoFiles?: readonly string[];
    readonly CFiles?: readonly string[];
    readonly CXXFiles?: readonly string[];
    readonly MFiles?: readonly string[];
    readonly HFiles?: readonly string[];
    readonly FFiles?: readonly string[];
    readonly SFiles?: readonly string[];
    readonly SwigFiles?: readonly string[];
    readonly SwigCXXFiles?: readonly string[];
    readonly SysoFiles?: readonly string[];
    readonly EmbedFiles?: readonly string[];
}

/** Package fields that name the source files `go build` compiles, links or embeds. */
export const sourceFileFields = [
    "GoFiles",
    "CgoFiles",
    "CFiles",
    "CXXFiles",
    "MFiles",
    "HFiles",
    "FFiles",
    "SFiles",
    "SwigFiles",
    "SwigCXXFiles",
    "SysoFiles",
    "EmbedFiles",
] as const;

const listedFields = ["ImportPath", "Dir", "Standard", "DepOnly", "Module", ...sourceFileFields];

/**
 * Variables the provider's ko driver removes from the environment before it runs ko, because
 * ko rejects `--platform` when they are set. The platform's target sets them instead.
 */
const platformVariables = ["GOOS", "GOARCH", "GOARM"];

/**
 * Go build flags that change which packages and files `go list` reports, or which profile PGO
 * reads, so they are passed on to it. Other flags, such as `-ldflags` or `-trimpath`, change
 * only the compiled output and are covered by the settings digest.
 */
// NOTE: with `-overlay`, go compiles the overlay's replacement files, but the fingerprint reads
// the files at the listed paths.
const listAffectingFlags = new Set([
    "tags",
    "mod",
    "modfile",
    "overlay",
    "race",
    "msan",
    "asan",
    "cover",
    "covermode",
    "coverpkg",
    "pgo",
    "buildmode",
    "compiler",
    "linkshared",
]);

/** Go build flags (Go 1.26 `go help build`) that read their value from the next argument when written without `=`. */
const valueFlags = new Set([
    "C",
    "o",
    "p",
    "covermode",
    "coverpkg",
    "asmflags",
    "buildmode",
    "compiler",
    "gccgoflags",
    "gcflags",
    "installsuffix",
    "ldflags",
    "mod",
    "modfile",
    "overlay",
    "pgo",
    "pkgdir",
    "tags",
    "toolexec",
    "debug-actiongraph",
    "debug-runtime-trace",
    "debug-trace",
]);

/** One Go build flag with its value as written, such as `{ name: "tags", value: "netgo" }`. */
export interface GoFlag {
    readonly name: string;
    /** The value after `=` or in the next argument; undefined for a boolean flag written alone. */
    readonly value?: string;
    /** The arguments that spelled the flag, such as `["-tags", "netgo"]`. */
    readonly args: readonly string[];
}

/**
 * Splits go build arguments into flags the way Go's flag package reads them: `-name=value`,
 * `-name value` for flags that take a value, `--name` like `-name`. Parsing stops at `--` or
 * at the first argument that is not a flag, as Go's does.
 */
export function parseGoFlags(args: readonly string[]): GoFlag[] {
    const flags: GoFlag[] = [];
    for (let index = 0; index < args.length; index++) {
        const arg = args[index];
        if (arg === "--" || !/^--?[^-=]/.test(arg)) break;

        const body = arg.replace(/^--?/, "");
        const equals = body.indexOf("=");
        if (equals >= 0) {
            flags.push({ name: body.slice(0, equals), value: body.slice(equals + 1), args: [arg] });
        } else if (valueFlags.has(body) && index + 1 < args.length) {
            flags.push({ name: body, value: args[index + 1], args: [arg, args[index + 1]] });
            index++;
        } else {
            flags.push({ name: body, args: [arg] });
        }
    }
    return flags;
}

/** Returns the arguments of the flags that `go list` must see to list what `go build` compiles, in their order. */
export function selectListFlags(flags: readonly string[]): string[] {
    return parseGoFlags(flags)
        .filter((flag) => listAffectingFlags.has(flag.name))
        .flatMap((flag) => flag.args);
}

/**
 * Finds the go binary that ko runs: `KO_GO_PATH` when set, else `go` on PATH. Raises a
 * FingerprintError with the fix when it is missing.
 */
export function findGoBinary(baseEnv: Readonly<Record<string, string | undefined>>): string {
    const name = baseEnv.KO_GO_PATH || "go";
    const binary = findExecutable(name, baseEnv.PATH);
    if (!binary) {
        const where = name.includes("/") ? `at ${name} (KO_GO_PATH)` : "on PATH";
        throw new FingerprintError(
            `${name} was not found ${where}: the source fingerprint runs go list; install Go (https://go.dev/dl/) and put its bin folder on PATH, or set KO_GO_PATH to the go binary`,
        );
    }
    return binary;
}

/**
 * Builds the environment that ko v0.19 gives `go build` for one target: `CGO_ENABLED=0`, then
 * the target's GOOS, GOARCH and GOARM or GOAMD64, then `baseEnv` without GOOS, GOARCH and GOARM,
 * then the build's `NAME=value` entries. Later values win, so `CGO_ENABLED=1` in either
 * environment enables cgo. GOFLAGS, GOWORK and the like stay, because ko's `go build` uses them too.
 */
export function makeGoEnvironment(
    target: GoTarget,
    baseEnv: Readonly<Record<string, string | undefined>>,
    buildEnv: readonly string[],
): Record<string, string> {
    const env: Record<string, string> = { CGO_ENABLED: "0", ...target.variables };
    for (const [name, value] of Object.entries(baseEnv)) {
        if (value !== undefined && !platformVariables.includes(name)) env[name] = value;
    }
    for (const [name, value] of parseEnvEntries(buildEnv)) env[name] = value;
    return env;
}

/** Splits `NAME=value` entries; raises a FingerprintError for an entry without a name or `=`. */
export function parseEnvEntries(entries: readonly string[]): [string, string][] {
    return entries.map((entry) => {
        const equals = entry.indexOf("=");
        if (equals <= 0) {
            throw new FingerprintError(`env entry ${JSON.stringify(entry)} is invalid: write it as NAME=value, such as CGO_ENABLED=1`);
        }
        return [entry.slice(0, equals), entry.slice(equals + 1)];
    });
}

/** The go binary, folder and environment of one go command. */
export interface GoInvocation {
    readonly go: string;
    readonly workingDir: string;
    readonly env: Readonly<Record<string, string>>;
    /** Names the target in error messages, such as `linux/amd64`. */
    readonly description: string;
}

/**
 * Runs `go list -deps -json=<fields> <flags> <main>` and returns every package that the main
 * package needs, dependencies first, as go lists them.
 */
export async function listPackages(invocation: GoInvocation, main: string, listFlags: readonly string[]): Promise<GoListPackage[]> {
    const args = ["list", "-deps", `-json=${listedFields.join(",")}`, ...listFlags, main];
    const stdout = await runGo(invocation, args);
    return splitJsonStream(stdout).map((text) => JSON.parse(text) as GoListPackage);
}

/** Runs `go env -json <names>` and returns each variable's value, empty when unset. */
export async function readGoEnv(invocation: GoInvocation, names: readonly string[]): Promise<Record<string, string>> {
    const stdout = await runGo(invocation, ["env", "-json", ...names]);
    return JSON.parse(stdout) as Record<string, string>;
}

/** Lines of go's error output kept in an error message: enough for every import error of a package. */
const maxErrorLines = 40;

async function runGo(invocation: GoInvocation, args: readonly string[]): Promise<string> {
    const { execa } = await import("execa");
    const result = await execa(invocation.go, args, {
        cwd: invocation.workingDir,
        env: invocation.env,
        extendEnv: false,
        reject: false,
        stdin: "ignore",
        stripFinalNewline: false,
    });
    if (result.failed) {
        const command = `go ${args.join(" ")}`;
        const cause = result.exitCode === undefined ? (result.originalMessage ?? result.shortMessage) : `exit code ${result.exitCode}`;
        const stderr = String(result.stderr ?? "")
            .split("\n")
            .filter((line) => line.trim() !== "")
            .slice(-maxErrorLines)
            .join("\n");
        throw new FingerprintError(`${command} failed in ${invocation.workingDir} for ${invocation.description} (${cause}):\n${stderr}`);
    }
    return String(result.stdout);
}

/**
 * Splits the concatenated objects that `go list -json` prints. Each object ends with a `}` at
 * the start of a line, because go indents nested values and escapes newlines inside strings.
 */
function splitJsonStream(text: string): string[] {
    return text
        .split(/^}\r?\n?/m)
        .map((chunk) => chunk.trim())
        .filter((chunk) => chunk !== "")
        .map((chunk) => `${chunk}\n}`);
}
