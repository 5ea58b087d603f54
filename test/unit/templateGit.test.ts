import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { applyTemplate, collectGitContext, GitContextError } from "../../provider/template";

/** Commit time of every test commit, so that commit dates are known: 2026-08-01T12:00:00Z. */
const commitDate = "2026-08-01T12:00:00Z";
const commitTimestamp = 1785585600;
const startTime = new Date(Date.UTC(2026, 7, 22, 9, 52, 43));

/** Temporary folders of this file, removed when its tests end. */
const temporaryDirs: string[] = [];
after(() => {
    for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function makeTemporaryDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    temporaryDirs.push(dir);
    return dir;
}

function git(dir: string, ...args: string[]): string {
    return execFileSync("git", args, {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, GIT_AUTHOR_DATE: commitDate, GIT_COMMITTER_DATE: commitDate },
    }).trim();
}

/** Creates a git repository in a new temporary folder, with a local identity and no signing. */
function makeRepository(): string {
    const dir = makeTemporaryDir("pulumi-kos-git-test-");
    git(dir, "init", "--quiet", "--initial-branch=main");
    git(dir, "config", "user.name", "Template Test");
    git(dir, "config", "user.email", "template-test@example.com");
    git(dir, "config", "commit.gpgSign", "false");
    git(dir, "config", "tag.gpgSign", "false");
    return dir;
}

function commitFile(dir: string, name: string, content: string): void {
    fs.writeFileSync(path.join(dir, name), content);
    git(dir, "add", name);
    git(dir, "commit", "--quiet", "-m", `add ${name}`);
}

/** Creates a repository with v1.2.2 on its first commit and an annotated v1.2.3 on its second. */
function makeTaggedRepository(): string {
    const dir = makeRepository();
    commitFile(dir, "go.mod", "module example.com/acme/api\n\ngo 1.26\n");
    git(dir, "tag", "v1.2.2");
    commitFile(dir, "main.go", "package main\n\nfunc main() {}\n");
    git(dir, "tag", "-a", "v1.2.3", "-m", "Release 1.2.3\n\nFixes the build.");
    return dir;
}

async function gitContextError(dir: string, options: Parameters<typeof collectGitContext>[1] = {}): Promise<GitContextError> {
    try {
        await collectGitContext(dir, options);
    } catch (error) {
        assert.ok(error instanceof GitContextError, `expected a GitContextError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected collectGitContext to fail");
}

describe("collectGitContext on a tagged commit", async () => {
    const dir = makeTaggedRepository();
    const fullCommit = git(dir, "rev-parse", "HEAD");
    const context = await collectGitContext(dir, { env: { HOME: "/home/user" }, clock: () => startTime, projectName: "acme" });

    it("reads the tag and version", () => {
        assert.equal(context.Tag, "v1.2.3");
        assert.equal(context.Version, "1.2.3");
        assert.equal(context.RawVersion, "1.2.3");
        assert.equal(context.PreviousTag, "v1.2.2");
    });

    it("parses the version parts", () => {
        assert.equal(Number(context.Major), 1);
        assert.equal(Number(context.Minor), 2);
        assert.equal(Number(context.Patch), 3);
        assert.equal(context.Prerelease, "");
    });

    it("reads the commit", () => {
        assert.equal(context.FullCommit, fullCommit);
        assert.equal(context.Commit, fullCommit);
        assert.ok(context.ShortCommit.length >= 7, `short commit ${context.ShortCommit} is too short`);
        assert.ok(fullCommit.startsWith(context.ShortCommit));
        assert.equal(context.Branch, "main");
    });

    it("reads the commit date in UTC", () => {
        assert.equal(context.CommitDate, commitDate);
        assert.equal(Number(context.CommitTimestamp), commitTimestamp);
    });

    it("reads a clean tree", () => {
        assert.equal(context.IsGitClean, true);
        assert.equal(context.IsGitDirty, false);
        assert.equal(context.GitTreeState, "clean");
        assert.equal(context.Summary, "v1.2.3");
    });

    it("reads the annotated tag message", () => {
        assert.equal(context.TagSubject, "Release 1.2.3");
        assert.equal(context.TagBody, "Fixes the build.");
        assert.equal(context.TagContents, "Release 1.2.3\n\nFixes the build.");
    });

    it("takes the start time from the clock", () => {
        assert.equal(context.Date, "2026-08-22T09:52:43Z");
        assert.equal(Number(context.Timestamp), startTime.getTime() / 1000);
        assert.equal(context.Now.getTime(), startTime.getTime());
    });

    it("fills the other variables", () => {
        assert.equal(context.ProjectName, "acme");
        assert.equal(context.ModulePath, "example.com/acme/api");
        assert.equal(context.IsSnapshot, false);
        assert.equal(context.IsNightly, false);
        assert.equal(context.GitURL, "");
        assert.deepEqual(context.Env, { HOME: "/home/user" });
    });

    it("feeds templates", () => {
        assert.equal(applyTemplate("{{ .ProjectName }}:{{ .Tag }}-{{ .Major }}{{ if not .Prerelease }}-stable{{ end }}", context), "acme:v1.2.3-1-stable");
        assert.equal(applyTemplate("{{ .CommitTimestamp }}", context), String(commitTimestamp));
    });
});

describe("collectGitContext states", () => {
    it("reports a dirty tree after an edit", async () => {
        const dir = makeTaggedRepository();
        fs.writeFileSync(path.join(dir, "main.go"), "package main\n\n// edited\nfunc main() {}\n");
        const context = await collectGitContext(dir, { env: {} });
        assert.equal(context.IsGitDirty, true);
        assert.equal(context.IsGitClean, false);
        assert.equal(context.GitTreeState, "dirty");
        assert.equal(context.Summary, "v1.2.3-dirty");
    });

    it("reports an untracked file as dirty", async () => {
        const dir = makeTaggedRepository();
        fs.writeFileSync(path.join(dir, "new.txt"), "new");
        assert.equal((await collectGitContext(dir, { env: {} })).IsGitDirty, true);
    });

    it("names a snapshot after the short commit", async () => {
        const dir = makeTaggedRepository();
        const context = await collectGitContext(dir, { env: {}, snapshot: true });
        assert.equal(context.Version, `1.2.3-SNAPSHOT-${context.ShortCommit}`);
        assert.equal(context.Tag, "v1.2.3");
        assert.equal(context.IsSnapshot, true);
    });

    it("uses the latest tag for later commits", async () => {
        const dir = makeTaggedRepository();
        commitFile(dir, "later.txt", "later");
        const context = await collectGitContext(dir, { env: {} });
        assert.equal(context.Tag, "v1.2.3");
        assert.match(context.Summary, /^v1\.2\.3-1-g[0-9a-f]+$/);
    });

    it("picks the highest of several tags on one commit", async () => {
        const dir = makeTaggedRepository();
        git(dir, "tag", "v1.10.0");
        git(dir, "tag", "v1.9.0");
        assert.equal((await collectGitContext(dir, { env: {} })).Tag, "v1.10.0");
    });

    it("reads a lightweight tag's commit message", async () => {
        const dir = makeRepository();
        fs.writeFileSync(path.join(dir, "a.txt"), "a");
        git(dir, "add", "a.txt");
        git(dir, "commit", "--quiet", "-m", "Add a", "-m", "Details of a.");
        git(dir, "tag", "v0.1.0");
        const context = await collectGitContext(dir, { env: {} });
        assert.equal(context.TagSubject, "Add a");
        assert.equal(context.TagBody, "Details of a.");
    });

    it("reads a pre-release tag", async () => {
        const dir = makeRepository();
        commitFile(dir, "a.txt", "a");
        git(dir, "tag", "v2.0.0-rc.1");
        const context = await collectGitContext(dir, { env: {} });
        assert.equal(context.Version, "2.0.0-rc.1");
        assert.equal(context.RawVersion, "2.0.0");
        assert.equal(context.Prerelease, "rc.1");
    });

    it("honours GORELEASER_CURRENT_TAG and GORELEASER_PREVIOUS_TAG", async () => {
        const dir = makeTaggedRepository();
        const context = await collectGitContext(dir, { env: { GORELEASER_CURRENT_TAG: "v3.0.0", GORELEASER_PREVIOUS_TAG: "v2.9.0" } });
        assert.equal(context.Tag, "v3.0.0");
        assert.equal(context.Version, "3.0.0");
        assert.equal(context.PreviousTag, "v2.9.0");
    });

    it("drops credentials from an https remote", async () => {
        const dir = makeTaggedRepository();
        git(dir, "remote", "add", "origin", "https://user:token@example.com/acme/api.git");
        assert.equal((await collectGitContext(dir, { env: {} })).GitURL, "https://example.com/acme/api.git");
    });

    it("keeps an ssh remote as it is", async () => {
        const dir = makeTaggedRepository();
        git(dir, "remote", "add", "origin", "git@example.com:acme/api.git");
        assert.equal((await collectGitContext(dir, { env: {} })).GitURL, "git@example.com:acme/api.git");
    });
});

describe("collectGitContext errors", () => {
    it("rejects a repository without tags", async () => {
        const dir = makeRepository();
        commitFile(dir, "a.txt", "a");
        assert.match((await gitContextError(dir, { env: {} })).message, /has no tags: tag the release commit/);
    });

    it("accepts a repository without tags in snapshot mode", async () => {
        const dir = makeRepository();
        commitFile(dir, "a.txt", "a");
        const context = await collectGitContext(dir, { env: {}, snapshot: true });
        assert.equal(context.Tag, "v0.0.0");
        assert.equal(context.Version, `0.0.0-SNAPSHOT-${context.ShortCommit}`);
        assert.notEqual(context.ShortCommit, "none");
    });

    it("rejects a repository without commits", async () => {
        const dir = makeRepository();
        assert.match((await gitContextError(dir, { env: {} })).message, /has no commits/);
    });

    it("uses placeholders for a repository without commits in snapshot mode", async () => {
        const context = await collectGitContext(makeRepository(), { env: {}, snapshot: true });
        assert.equal(context.ShortCommit, "none");
        assert.equal(context.Version, "0.0.0-SNAPSHOT-none");
        assert.equal(context.CommitDate, "0001-01-01T00:00:00Z");
    });

    it("rejects a folder outside any repository", async () => {
        const dir = makeTemporaryDir("pulumi-kos-no-git-");
        assert.match((await gitContextError(dir, { env: {} })).message, /is not in a git repository/);
    });

    it("uses placeholders outside a repository in snapshot mode", async () => {
        const dir = makeTemporaryDir("pulumi-kos-no-git-");
        const context = await collectGitContext(dir, { env: {}, snapshot: true });
        assert.equal(context.Tag, "v0.0.0");
        assert.equal(context.Branch, "none");
        assert.equal(context.FullCommit, "none");
        assert.equal(context.Version, "0.0.0-SNAPSHOT-none");
    });

    it("rejects a tag that is not a semantic version", async () => {
        const dir = makeRepository();
        commitFile(dir, "a.txt", "a");
        git(dir, "tag", "release-candidate");
        const error = await gitContextError(dir, { env: {}, snapshot: true });
        assert.match(error.message, /failed to parse tag "release-candidate" as semver/);
    });

    it("rejects a missing folder", async () => {
        const missing = path.join(os.tmpdir(), "pulumi-kos-missing-folder-for-git-test");
        assert.match((await gitContextError(missing, { env: {} })).message, /does not exist/);
    });
});
