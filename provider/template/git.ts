// Collection of GoReleaser's git-derived template variables (v2.17 git, semver and snapshot
// pipes) by running the git CLI in the repository.

import * as fs from "node:fs";
import * as path from "node:path";
import { currentRuntime, startTimeVariables, type TemplateContext, type TemplateRuntime } from "./context";
import { parseSemver, SemverError, type SemanticVersion } from "./semver";
import { trimSpace } from "./strings";
import { formatDateWithGoLayout, rfc3339Layout } from "./timeFormat";

/** Unix seconds of Go's zero time.Time (January 1, year 1, UTC). */
const goZeroTimeSeconds = -62135596800n;

/** Options of {@link collectGitContext}. */
export interface GitContextOptions {
    /**
     * Environment that GoReleaser would see: it becomes `.Env`, and `GORELEASER_CURRENT_TAG` and
     * `GORELEASER_PREVIOUS_TAG` in it override the tags git finds. Default: `process.env`.
     */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /**
     * Snapshot mode, as `goreleaser --snapshot`: Version becomes `<version>-SNAPSHOT-<short commit>`
     * (GoReleaser's default `snapshot.version_template`), and a missing tag, commit or repository
     * is not an error. Default: false.
     */
    readonly snapshot?: boolean;
    /** Clock for GoReleaser's start time (`.Date`, `.Timestamp`, `.Now`). Default: the system clock. */
    readonly clock?: () => Date;
    /** `project_name` of the configuration. Default: "". */
    readonly projectName?: string;
    /** `.ModulePath`. Default: the `module` line of `go.mod` in `dir`, else "". */
    readonly modulePath?: string;
    /** `release.draft` of the configuration. Default: false. */
    readonly isDraft?: boolean;
    /** Whether the run builds for the current platform only (`--single-target`). Default: false. */
    readonly isSingleTarget?: boolean;
    /** `.Runtime`. Default: the platform Node.js runs on, in Go's names. */
    readonly runtime?: TemplateRuntime;
}

/** Raised when the git state cannot give GoReleaser's variables: no repository, no commit, no tag or a tag that is not a semantic version. */
export class GitContextError extends Error {
    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = "GitContextError";
    }
}

/** State that GoReleaser reads from git, before semver parsing and snapshot naming. */
interface GitInfo {
    branch: string;
    currentTag: string;
    previousTag: string;
    fullCommit: string;
    shortCommit: string;
    /** Unix seconds; undefined when there is no commit. */
    commitTime?: bigint;
    url: string;
    summary: string;
    tagSubject: string;
    tagContents: string;
    tagBody: string;
    dirty: boolean;
}

/** Returns the values GoReleaser uses in snapshot mode when there is no repository or no commit. */
function placeholderInfo(): GitInfo {
    return {
        branch: "none",
        currentTag: "v0.0.0",
        previousTag: "",
        fullCommit: "none",
        shortCommit: "none",
        url: "",
        summary: "none",
        tagSubject: "",
        tagContents: "",
        tagBody: "",
        dirty: false,
    };
}

interface GitResult {
    readonly ok: boolean;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs git in `dir` and returns its output; only a missing git executable throws. */
async function runGit(dir: string, args: readonly string[]): Promise<GitResult> {
    const { execa } = await import("execa");
    const result = await execa("git", ["-c", "log.showSignature=false", ...args], {
        cwd: dir,
        reject: false,
        stdin: "ignore",
        // Git's own messages in English, so that the errors below read consistently.
        env: { LC_ALL: "C" },
    });
    if (result.failed && result.exitCode === undefined) {
        throw new GitContextError(`cannot run git in ${dir}: ${result.originalMessage ?? result.shortMessage}; install git and put it on PATH`);
    }
    return { ok: !result.failed, stdout: String(result.stdout), stderr: String(result.stderr).trim() };
}

/** Returns the first line of git's output without single quotes, as GoReleaser reads single values. */
function firstLine(output: string): string {
    return (output.split("\n")[0] ?? "").replaceAll("'", "").trim();
}

/** Runs a git command that must succeed and returns its first output line. */
async function gitValue(dir: string, what: string, args: readonly string[]): Promise<string> {
    const result = await runGit(dir, args);
    if (!result.ok) throw new GitContextError(`cannot get the ${what} (git ${args.join(" ")}): ${result.stderr}`);
    return firstLine(result.stdout);
}

/** Tags that point at a commit, highest version first, as GoReleaser's default `git.tag_sort` orders them. */
async function tagsPointingAt(dir: string, ref: string): Promise<string[]> {
    const result = await runGit(dir, ["tag", "--points-at", ref, "--sort", "-version:refname"]);
    if (!result.ok) return [];
    return result.stdout
        .split("\n")
        .map((line) => line.replaceAll("'", "").trim())
        .filter((line) => line !== "");
}

/** Finds the current tag: GORELEASER_CURRENT_TAG, else a tag on HEAD, else the latest tag reachable from HEAD. */
async function findCurrentTag(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
    const fromEnv = env.GORELEASER_CURRENT_TAG;
    if (fromEnv) return fromEnv;
    const [onHead] = await tagsPointingAt(dir, "HEAD");
    if (onHead) return onHead;
    const described = await runGit(dir, ["describe", "--tags", "--abbrev=0", "HEAD"]);
    return described.ok && firstLine(described.stdout) !== "" ? firstLine(described.stdout) : undefined;
}

/** Finds the previous tag: GORELEASER_PREVIOUS_TAG, else the tag on the commit of the latest tag before the current one, else "". */
async function findPreviousTag(dir: string, current: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
    const fromEnv = env.GORELEASER_PREVIOUS_TAG;
    if (fromEnv) return fromEnv;
    const described = await runGit(dir, ["describe", "--tags", "--abbrev=0", `tags/${current}^`]);
    if (!described.ok) return "";
    const commit = await runGit(dir, ["rev-list", "-n1", firstLine(described.stdout)]);
    if (!commit.ok) return "";
    const [tag] = await tagsPointingAt(dir, firstLine(commit.stdout));
    return tag ?? "";
}

async function tagMessagePart(dir: string, tag: string, format: string): Promise<string> {
    const result = await runGit(dir, ["tag", "-l", `--format=%(${format})`, tag]);
    return result.ok ? trimSpace(result.stdout) : "";
}

/** Returns the remote's URL without credentials, or "" when no remote is configured. */
async function remoteUrl(dir: string): Promise<string> {
    const result = await runGit(dir, ["ls-remote", "--get-url"]);
    // NOTE: without a remote, `git ls-remote --get-url` fails (git 2.39) and so does GoReleaser, but
    // here GitURL is "" instead, so that local repositories work. Other failures are errors.
    if (!result.ok) {
        if (/no remote configured/i.test(result.stderr)) return "";
        throw new GitContextError(`cannot get the remote URL (git ls-remote --get-url): ${result.stderr}`);
    }
    const url = firstLine(result.stdout);
    if (!url.startsWith("https://")) return url;
    try {
        const parsed = new URL(url);
        parsed.username = "";
        parsed.password = "";
        return parsed.toString();
    } catch {
        return url;
    }
}

/** Reads the git state as GoReleaser's git pipe does; throws when there is no commit or no tag. */
async function readGitInfo(dir: string, env: Readonly<Record<string, string | undefined>>, snapshot: boolean): Promise<GitInfo> {
    const head = await runGit(dir, ["rev-parse", "--verify", "--quiet", "HEAD"]);
    if (!head.ok) throw new GitContextError(`the git repository in ${dir} has no commits: commit the sources first, or use snapshot mode`);
    const branch = await gitValue(dir, "current branch", ["rev-parse", "--abbrev-ref", "HEAD", "--quiet"]);
    const shortCommit = await gitValue(dir, "current commit", ["show", "--format=%h", "HEAD", "--quiet"]);
    const fullCommit = await gitValue(dir, "current commit", ["show", "--format=%H", "HEAD", "--quiet"]);
    const commitSeconds = await gitValue(dir, "commit date", ["show", "--format=%ct", "HEAD", "--quiet"]);
    const summary = await gitValue(dir, "summary", ["describe", "--always", "--dirty", "--tags"]);
    const url = await remoteUrl(dir);
    // NOTE: GoReleaser reports a clean tree when a snapshot has no tag, but here the real state is kept.
    const status = await runGit(dir, ["status", "--porcelain"]);
    const dirty = !status.ok || status.stdout.trim() !== "";
    const commitTime = commitSeconds === "" ? undefined : BigInt(commitSeconds);
    const base = { branch, shortCommit, fullCommit, commitTime, url, summary, dirty };

    const currentTag = await findCurrentTag(dir, env);
    if (currentTag === undefined) {
        if (snapshot) return { ...base, currentTag: "v0.0.0", previousTag: "", tagSubject: "", tagContents: "", tagBody: "" };
        throw new GitContextError(
            `the git repository in ${dir} has no tags: tag the release commit, such as git tag v0.1.0, set GORELEASER_CURRENT_TAG, or use snapshot mode`,
        );
    }
    return {
        ...base,
        currentTag,
        previousTag: await findPreviousTag(dir, currentTag, env),
        tagSubject: await tagMessagePart(dir, currentTag, "contents:subject"),
        tagContents: await tagMessagePart(dir, currentTag, "contents"),
        tagBody: await tagMessagePart(dir, currentTag, "contents:body"),
    };
}

/** Reads the `module` path in `go.mod` of a directory, or returns "" without one. */
function readModulePath(dir: string): string {
    try {
        const goMod = fs.readFileSync(path.join(dir, "go.mod"), "utf8");
        return /^module\s+"?([^\s"]+)"?/m.exec(goMod)?.[1] ?? "";
    } catch {
        return "";
    }
}

/**
 * Collects GoReleaser's template variables for the git repository that contains `dir`. Git gives
 * the tags, commit, branch, commit date, tree state, summary and remote URL. The tag gives the
 * version parts, and the clock gives the start time.
 *
 * Throws a {@link GitContextError} outside a repository or in one without commits or tags. In
 * snapshot mode these cases get GoReleaser's placeholders instead (tag `v0.0.0`, commit `none`).
 * A tag that is not a semantic version is an error in both modes.
 */
export async function collectGitContext(dir: string, options: GitContextOptions = {}): Promise<TemplateContext> {
    const env = options.env ?? process.env;
    const snapshot = options.snapshot ?? false;
    const directory = path.resolve(dir);
    if (!fs.existsSync(directory)) throw new GitContextError(`directory ${directory} does not exist: pass the folder of the git repository`);

    const inside = await runGit(directory, ["rev-parse", "--is-inside-work-tree"]);
    let info: GitInfo;
    if (!inside.ok || inside.stdout.trim() !== "true") {
        if (!snapshot) {
            throw new GitContextError(`${directory} is not in a git repository: run git init and commit, or use snapshot mode`);
        }
        info = placeholderInfo();
    } else {
        try {
            info = await readGitInfo(directory, env, snapshot);
        } catch (error) {
            // As in GoReleaser's snapshot mode, a git failure such as a missing commit gives the placeholders.
            if (!snapshot || !(error instanceof GitContextError)) throw error;
            info = placeholderInfo();
        }
    }

    let version: SemanticVersion;
    try {
        version = parseSemver(info.currentTag);
    } catch (error) {
        if (!(error instanceof SemverError)) throw error;
        throw new GitContextError(`failed to parse tag ${JSON.stringify(info.currentTag)} as semver: ${error.message}`, { cause: error });
    }

    const tagVersion = info.currentTag.startsWith("v") ? info.currentTag.slice(1) : info.currentTag;
    // Without a commit, GoReleaser's commit date is Go's zero time, 0001-01-01T00:00:00Z.
    const commitTime = info.commitTime ?? goZeroTimeSeconds;
    const commitDate = info.commitTime === undefined ? "0001-01-01T00:00:00Z" : formatDateWithGoLayout(new Date(Number(commitTime) * 1000), rfc3339Layout);
    return {
        ProjectName: options.projectName ?? "",
        Version: snapshot ? `${tagVersion}-SNAPSHOT-${info.shortCommit}` : tagVersion,
        RawVersion: `${version.major}.${version.minor}.${version.patch}`,
        Tag: info.currentTag,
        PreviousTag: info.previousTag,
        Major: version.major,
        Minor: version.minor,
        Patch: version.patch,
        Prerelease: version.prerelease,
        Commit: info.fullCommit,
        FullCommit: info.fullCommit,
        ShortCommit: info.shortCommit,
        Branch: info.branch,
        CommitDate: commitDate,
        CommitTimestamp: commitTime,
        ...startTimeVariables((options.clock ?? (() => new Date()))()),
        IsSnapshot: snapshot,
        IsNightly: false,
        IsDraft: options.isDraft ?? false,
        IsSingleTarget: options.isSingleTarget ?? false,
        Summary: info.summary,
        GitURL: info.url,
        GitTreeState: info.dirty ? "dirty" : "clean",
        IsGitClean: !info.dirty,
        IsGitDirty: info.dirty,
        TagSubject: info.tagSubject,
        TagContents: info.tagContents,
        TagBody: info.tagBody,
        ModulePath: options.modulePath ?? readModulePath(directory),
        Runtime: options.runtime ?? currentRuntime(),
        Env: { ...env },
    };
}
