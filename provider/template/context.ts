// The variables GoReleaser (v2.17) gives every template, as a TypeScript object, and their
// conversion into the Go values a template reads.

import { rfc3339Layout, formatGoTime } from "./timeFormat";
import { GoMap, GoStruct, GoTime, type GoValue, type ReadListener } from "./values";

/** `.Runtime`: the platform GoReleaser runs on, in Go's GOOS and GOARCH names. */
export interface TemplateRuntime {
    readonly Goos: string;
    readonly Goarch: string;
}

/**
 * GoReleaser's template variables. Templates read them as `.ProjectName`, `.Env.HOME` and so on;
 * names are case-sensitive. Numbers become Go integers, so `{{ .Major }}` prints `1`.
 */
export interface TemplateContext {
    /** `project_name` of the configuration. */
    readonly ProjectName: string;
    /** The tag without one leading `v`; in snapshot mode, `<version>-SNAPSHOT-<short commit>`. */
    readonly Version: string;
    /** `<Major>.<Minor>.<Patch>`. */
    readonly RawVersion: string;
    /** The current git tag, such as `v1.2.3`. */
    readonly Tag: string;
    /** The tag before the current one; empty when there is none. */
    readonly PreviousTag: string;
    readonly Major: number | bigint;
    readonly Minor: number | bigint;
    readonly Patch: number | bigint;
    /** Pre-release part of the tag without its `-`, such as `rc.1`; empty for a release. */
    readonly Prerelease: string;
    /** Full commit hash (deprecated in GoReleaser in favour of FullCommit). */
    readonly Commit: string;
    readonly FullCommit: string;
    /** Abbreviated commit hash, as `git show --format=%h` prints it. */
    readonly ShortCommit: string;
    readonly Branch: string;
    /** Commit date in UTC, RFC 3339, such as `2026-08-01T12:00:00Z`. */
    readonly CommitDate: string;
    /** Commit date in seconds since the Unix epoch. */
    readonly CommitTimestamp: number | bigint;
    /** GoReleaser's start time in UTC, RFC 3339. Volatile: it changes on every run. */
    readonly Date: string;
    /** GoReleaser's start time in seconds since the Unix epoch. Volatile. */
    readonly Timestamp: number | bigint;
    /**
     * GoReleaser's start time, a Go time.Time in templates (`{{ .Now.Format "2006" }}`). Volatile.
     * A Date keeps milliseconds, so `{{ .Now }}` prints 3 fractional digits where Go prints up to 9.
     */
    readonly Now: Date;
    readonly IsSnapshot: boolean;
    /** Always false: nightly builds are a GoReleaser Pro feature. */
    readonly IsNightly: boolean;
    /** `release.draft` of the configuration. */
    readonly IsDraft: boolean;
    /** Whether GoReleaser runs with `--single-target`. */
    readonly IsSingleTarget: boolean;
    /** `git describe --always --dirty --tags`. */
    readonly Summary: string;
    /** URL of the git remote, without credentials. */
    readonly GitURL: string;
    /** `clean` or `dirty`. */
    readonly GitTreeState: "clean" | "dirty";
    readonly IsGitClean: boolean;
    readonly IsGitDirty: boolean;
    /** Subject (first line) of the tag's message, or of the tagged commit's message for a lightweight tag. */
    readonly TagSubject: string;
    /** Whole message of the tag, or of the tagged commit for a lightweight tag. */
    readonly TagContents: string;
    /** Message of the tag (or of the tagged commit) without its subject. */
    readonly TagBody: string;
    /** Go module path from go.mod. */
    readonly ModulePath: string;
    /** Release notes; empty unless the caller fills them. Default "". */
    readonly ReleaseNotes?: string;
    /** URL of the release; empty unless the caller fills it. Default "". */
    readonly ReleaseURL?: string;
    readonly Runtime: TemplateRuntime;
    /** Environment variables; `{{ .Env.NAME }}` fails for a name that is absent. */
    readonly Env: Readonly<Record<string, string | undefined>>;
}

/** The variables whose value changes with the moment GoReleaser starts, not with the sources. */
export const volatileVariables: ReadonlySet<string> = new Set(["Date", "Timestamp", "Now"]);

/** Go type of the data root: GoReleaser passes its variables as a map[string]any. */
export const rootMapType = "map[string]interface {}";

function toInteger(value: number | bigint, name: string): bigint {
    if (typeof value === "bigint") return value;
    if (!Number.isSafeInteger(value)) throw new RangeError(`template context ${name} must be an integer, got ${value}`);
    return BigInt(value);
}

/**
 * Converts a context into the data a template executes against, and returns the `.Env` map
 * too for envOrDefault and isEnvSet. Each read of a variable (and of each `.Env` key) is
 * reported to `onRead` as a path such as `Version` or `Env.HOME`.
 */
export function toTemplateData(context: TemplateContext, onRead: ReadListener): { data: GoMap; env: GoMap } {
    const env = new Map<string, GoValue>();
    for (const [name, value] of Object.entries(context.Env)) {
        if (value !== undefined) env.set(name, value);
    }
    const envMap = new GoMap("context.Env", env, { path: "Env", listener: onRead });
    const runtime = new Map<string, GoValue>([
        ["Goos", context.Runtime.Goos],
        ["Goarch", context.Runtime.Goarch],
    ]);
    const fields: [string, GoValue][] = [
        ["ProjectName", context.ProjectName],
        ["Version", context.Version],
        ["RawVersion", context.RawVersion],
        ["Tag", context.Tag],
        ["PreviousTag", context.PreviousTag],
        ["Major", toInteger(context.Major, "Major")],
        ["Minor", toInteger(context.Minor, "Minor")],
        ["Patch", toInteger(context.Patch, "Patch")],
        ["Prerelease", context.Prerelease],
        ["Commit", context.Commit],
        ["FullCommit", context.FullCommit],
        ["ShortCommit", context.ShortCommit],
        ["Branch", context.Branch],
        ["CommitDate", context.CommitDate],
        ["CommitTimestamp", toInteger(context.CommitTimestamp, "CommitTimestamp")],
        ["Date", context.Date],
        ["Timestamp", toInteger(context.Timestamp, "Timestamp")],
        ["Now", GoTime.fromDate(context.Now)],
        ["IsSnapshot", context.IsSnapshot],
        ["IsNightly", context.IsNightly],
        ["IsDraft", context.IsDraft],
        ["IsSingleTarget", context.IsSingleTarget],
        ["Summary", context.Summary],
        ["GitURL", context.GitURL],
        ["GitTreeState", context.GitTreeState],
        ["IsGitClean", context.IsGitClean],
        ["IsGitDirty", context.IsGitDirty],
        ["TagSubject", context.TagSubject],
        ["TagContents", context.TagContents],
        ["TagBody", context.TagBody],
        ["ModulePath", context.ModulePath],
        ["ReleaseNotes", context.ReleaseNotes ?? ""],
        ["ReleaseURL", context.ReleaseURL ?? ""],
        ["Runtime", new GoStruct("context.Runtime", runtime, { path: "Runtime", listener: onRead })],
        ["Env", envMap],
    ];
    return { data: new GoMap(rootMapType, new Map(fields), { path: "", listener: onRead }), env: envMap };
}

/** Returns the start-time variables for a moment: `Date` (RFC 3339, UTC), `Timestamp` (Unix seconds) and `Now`. */
export function startTimeVariables(now: Date): Pick<TemplateContext, "Date" | "Timestamp" | "Now"> {
    const time = GoTime.fromDate(now);
    return { Date: formatGoTime(time, rfc3339Layout), Timestamp: time.unixSeconds, Now: now };
}

/**
 * Returns a context in which every variable is empty, zero or false, except the start time
 * (`now`) and `.Runtime` (this machine). Callers override what they know, such as
 * `{ ...emptyTemplateContext(), ProjectName: "api", Env: process.env }`.
 */
export function emptyTemplateContext(now: Date = new Date()): TemplateContext {
    return {
        ProjectName: "",
        Version: "",
        RawVersion: "0.0.0",
        Tag: "",
        PreviousTag: "",
        Major: 0n,
        Minor: 0n,
        Patch: 0n,
        Prerelease: "",
        Commit: "",
        FullCommit: "",
        ShortCommit: "",
        Branch: "",
        CommitDate: "0001-01-01T00:00:00Z",
        CommitTimestamp: -62135596800n,
        ...startTimeVariables(now),
        IsSnapshot: false,
        IsNightly: false,
        IsDraft: false,
        IsSingleTarget: false,
        Summary: "",
        GitURL: "",
        GitTreeState: "clean",
        IsGitClean: true,
        IsGitDirty: false,
        TagSubject: "",
        TagContents: "",
        TagBody: "",
        ModulePath: "",
        Runtime: currentRuntime(),
        Env: {},
    };
}

/** Node's platform and architecture names in Go's spelling, for `.Runtime`. */
export function currentRuntime(): TemplateRuntime {
    const goos: Record<string, string> = { win32: "windows", sunos: "solaris" };
    const goarch: Record<string, string> = { x64: "amd64", ia32: "386", arm: "arm", arm64: "arm64", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64", loong64: "loong64", mips: "mips", mipsel: "mipsle" };
    return { Goos: goos[process.platform] ?? process.platform, Goarch: goarch[process.arch] ?? process.arch };
}
