import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { computeSourceFingerprint, FingerprintError, listChangedEntries, type SourceFingerprint, type SourceFingerprintRequest } from "../../provider/fingerprint";
import { writeTempFiles } from "../support/paths";

/**
 * A module `example.com/app` in `app/` with a local replacement `example.com/lib` in `lib/`.
 * `cmd/app` embeds `static/banner.txt`, has kodata, a Windows-only file that imports
 * `internal/winonly`, a file for the `special` build tag and its opposite, a cgo-only file and a
 * test. `internal/unused` is imported by nothing.
 */
const appFiles: Record<string, string> = {
    "app/go.mod": "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n",
    "app/README.md": "# app\n",
    "app/cmd/app/main.go": [
        "package main",
        "",
        "import (",
        '\t_ "embed"',
        '\t"fmt"',
        "",
        '\t"example.com/app/internal/greeting"',
        '\t"example.com/lib/words"',
        ")",
        "",
        "//go:embed static/banner.txt",
        "var banner string",
        "",
        "func main() { fmt.Println(banner, greeting.Hello(), words.Name, platformName, tagName) }",
        "",
    ].join("\n"),
    "app/cmd/app/static/banner.txt": "hello\n",
    "app/cmd/app/main_test.go": 'package main\n\nimport "testing"\n\nfunc TestMain(t *testing.T) {}\n',
    "app/cmd/app/platform_windows.go": 'package main\n\nimport "example.com/app/internal/winonly"\n\nvar platformName = winonly.Name\n',
    "app/cmd/app/platform_other.go": '//go:build !windows\n\npackage main\n\nconst platformName = "other"\n',
    "app/cmd/app/tag_special.go": '//go:build special\n\npackage main\n\nconst tagName = "special"\n',
    "app/cmd/app/tag_plain.go": '//go:build !special\n\npackage main\n\nconst tagName = "plain"\n',
    "app/cmd/app/cgo_only.go": "//go:build cgo\n\npackage main\n\nconst cgoNote = 1\n",
    "app/cmd/app/kodata/index.html": "<p>hello</p>\n",
    "app/cmd/app/kodata/css/site.css": "p {}\n",
    "app/internal/greeting/greeting.go": 'package greeting\n\nfunc Hello() string { return "hello" }\n',
    "app/internal/unused/unused.go": "package unused\n\nconst X = 1\n",
    "app/internal/winonly/winonly.go": 'package winonly\n\nconst Name = "windows"\n',
    "lib/go.mod": "module example.com/lib\n\ngo 1.22\n",
    "lib/words/words.go": 'package words\n\nconst Name = "lib"\n',
};

const mainPackage = "packages[example.com/app/cmd/app]";

/**
 * The environment of every test: no GOFLAGS, workspace, toolchain switch or proxy from the
 * machine, so that go list reads only the fixture and the standard library.
 */
const testEnv: Record<string, string | undefined> = {
    ...process.env,
    GOFLAGS: "",
    GOWORK: "off",
    GOTOOLCHAIN: "local",
    GOPROXY: "off",
    GOSUMDB: "off",
    CGO_ENABLED: undefined,
    KO_GO_PATH: undefined,
};

/** Temporary folders that the tests created, removed after the last test. */
const tempFolders: string[] = [];
after(() => {
    for (const folder of tempFolders) fs.rmSync(folder, { recursive: true, force: true });
});

function makeTempFolder(files: Record<string, string>): string {
    const folder = writeTempFiles(files);
    tempFolders.push(folder);
    return folder;
}

/** Writes the fixture into a new temporary folder and returns that folder. */
function writeApp(extraFiles: Record<string, string> = {}): string {
    return makeTempFolder({ ...appFiles, ...extraFiles });
}

function fingerprint(root: string, options: Partial<SourceFingerprintRequest> = {}): Promise<SourceFingerprint> {
    return computeSourceFingerprint({
        workingDir: path.join(root, "app"),
        main: "./cmd/app",
        platforms: ["linux/amd64"],
        baseEnv: testEnv,
        ...options,
    });
}

/** Fingerprints `root` before and after `edit` and returns the entries that changed. */
async function changesAfter(root: string, edit: (root: string) => void, options: Partial<SourceFingerprintRequest> = {}): Promise<string[]> {
    const before = await fingerprint(root, options);
    edit(root);
    const after = await fingerprint(root, options);
    return listChangedEntries(before, after);
}

function append(root: string, file: string, text: string): void {
    fs.appendFileSync(path.join(root, file), text);
}

function touchAll(folder: string, time: Date): void {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
        fs.utimesSync(path.join(entry.parentPath, entry.name), time, time);
    }
}

interface ChangeCase {
    readonly name: string;
    readonly edit: (root: string) => void;
    readonly options?: Partial<SourceFingerprintRequest>;
    readonly expected: readonly string[];
}

const changeCases: readonly ChangeCase[] = [
    { name: "main package edit", edit: (root) => append(root, "app/cmd/app/main.go", "\n// edited\n"), expected: [mainPackage] },
    {
        name: "new file in main package",
        edit: (root) => fs.writeFileSync(path.join(root, "app/cmd/app/extra.go"), "package main\n"),
        expected: [mainPackage],
    },
    {
        name: "used local package edit",
        edit: (root) => append(root, "app/internal/greeting/greeting.go", "\n// edited\n"),
        expected: ["packages[example.com/app/internal/greeting]"],
    },
    {
        name: "replaced module edit",
        edit: (root) => append(root, "lib/words/words.go", "\n// edited\n"),
        expected: ["packages[example.com/lib/words]"],
    },
    { name: "replaced module go.mod edit", edit: (root) => append(root, "lib/go.mod", "\ngodebug panicnil=1\n"), expected: ["modules[example.com/lib]"] },
    { name: "main go.mod edit", edit: (root) => append(root, "app/go.mod", "\ngodebug panicnil=1\n"), expected: ["modules[example.com/app]"] },
    { name: "main go.mod comment", edit: (root) => append(root, "app/go.mod", "\n// edited\n"), expected: [] },
    { name: "unused package edit", edit: (root) => append(root, "app/internal/unused/unused.go", "\n// edited\n"), expected: [] },
    { name: "test file edit", edit: (root) => append(root, "app/cmd/app/main_test.go", "\n// edited\n"), expected: [] },
    { name: "README edit", edit: (root) => append(root, "app/README.md", "more\n"), expected: [] },
    { name: "embedded file edit", edit: (root) => append(root, "app/cmd/app/static/banner.txt", "more\n"), expected: [mainPackage] },
    { name: "kodata file edit", edit: (root) => append(root, "app/cmd/app/kodata/css/site.css", "a {}\n"), expected: ["kodata"] },
    { name: "kodata empty folder added", edit: (root) => fs.mkdirSync(path.join(root, "app/cmd/app/kodata/empty")), expected: ["kodata"] },
    {
        name: "kodata file renamed",
        edit: (root) => fs.renameSync(path.join(root, "app/cmd/app/kodata/index.html"), path.join(root, "app/cmd/app/kodata/home.html")),
        expected: ["kodata"],
    },
    { name: "windows file edit on linux", edit: (root) => append(root, "app/cmd/app/platform_windows.go", "\n// edited\n"), expected: [] },
    {
        name: "windows file edit on windows",
        edit: (root) => append(root, "app/cmd/app/platform_windows.go", "\n// edited\n"),
        options: { platforms: ["linux/amd64", "windows/amd64"] },
        expected: [mainPackage],
    },
    {
        name: "windows-only package edit on windows",
        edit: (root) => append(root, "app/internal/winonly/winonly.go", "\n// edited\n"),
        options: { platforms: ["linux/amd64", "windows/amd64"] },
        expected: ["packages[example.com/app/internal/winonly]"],
    },
    { name: "tagged file edit without tag", edit: (root) => append(root, "app/cmd/app/tag_special.go", "\n// edited\n"), expected: [] },
    {
        name: "tagged file edit with tag",
        edit: (root) => append(root, "app/cmd/app/tag_special.go", "\n// edited\n"),
        options: { flags: ["-tags", "special"] },
        expected: [mainPackage],
    },
    { name: "cgo file edit without cgo", edit: (root) => append(root, "app/cmd/app/cgo_only.go", "\n// edited\n"), expected: [] },
    {
        name: "cgo file edit with CGO_ENABLED=1",
        edit: (root) => append(root, "app/cmd/app/cgo_only.go", "\n// edited\n"),
        options: { env: ["CGO_ENABLED=1"] },
        expected: [mainPackage],
    },
    { name: "mtime-only touch", edit: (root) => touchAll(root, new Date(Date.now() + 3_600_000)), expected: [] },
    { name: "default.pgo added", edit: (root) => fs.writeFileSync(path.join(root, "app/cmd/app/default.pgo"), "profile"), expected: ["pgoProfile"] },
    {
        name: "default.pgo added with -pgo=off",
        edit: (root) => fs.writeFileSync(path.join(root, "app/cmd/app/default.pgo"), "profile"),
        options: { flags: ["-pgo=off"] },
        expected: [],
    },
];

describe("computeSourceFingerprint changes", () => {
    for (const { name, edit, options, expected } of changeCases) {
        it(name, async () => {
            assert.deepEqual(await changesAfter(writeApp(), edit, options), expected);
        });
    }
});

describe("computeSourceFingerprint settings", () => {
    it("reports tag flag changes", async () => {
        const root = writeApp();
        const plain = await fingerprint(root);
        const special = await fingerprint(root, { flags: ["-tags=special"] });
        assert.deepEqual(listChangedEntries(plain, special), [mainPackage, "settings"]);
    });

    it("lists the same files for both tag spellings", async () => {
        const root = writeApp();
        const joined = await fingerprint(root, { flags: ["-tags=special"] });
        const separate = await fingerprint(root, { flags: ["-tags", "special"] });
        assert.deepEqual(joined.packages, separate.packages);
    });

    it("reports ldflags changes", async () => {
        const root = writeApp();
        const before = await fingerprint(root, { ldflags: ["-s"] });
        const after = await fingerprint(root, { ldflags: ["-s", "-w"] });
        assert.deepEqual(listChangedEntries(before, after), ["settings"]);
    });

    it("applies CGO_ENABLED from the base environment", async () => {
        const root = writeApp();
        const before = await fingerprint(root);
        const after = await fingerprint(root, { baseEnv: { ...testEnv, CGO_ENABLED: "1" } });
        assert.deepEqual(listChangedEntries(before, after), [mainPackage, "settings"]);
    });

    it("lets build env override the base environment", async () => {
        const root = writeApp();
        const before = await fingerprint(root);
        const after = await fingerprint(root, { baseEnv: { ...testEnv, CGO_ENABLED: "1" }, env: ["CGO_ENABLED=0"] });
        assert.deepEqual(after.packages, before.packages);
    });

    it("applies tags from GOFLAGS", async () => {
        const root = writeApp();
        const before = await fingerprint(root);
        const after = await fingerprint(root, { baseEnv: { ...testEnv, GOFLAGS: "-tags=special" } });
        assert.deepEqual(listChangedEntries(before, after), [mainPackage, "settings"]);
    });

    it("reports platform changes", async () => {
        const root = writeApp();
        const before = await fingerprint(root);
        const after = await fingerprint(root, { platforms: ["linux/amd64", "linux/arm64"] });
        assert.deepEqual(listChangedEntries(before, after), ["platforms", "settings"]);
    });

    it("merges platforms with the same Go target", async () => {
        const root = writeApp();
        const arm64 = await fingerprint(root, { platforms: ["linux/arm64"] });
        const both = await fingerprint(root, { platforms: ["linux/arm64/v8", "linux/arm64"] });
        assert.deepEqual(both.packages, arm64.packages);
        assert.deepEqual(both.platforms, ["linux/arm64", "linux/arm64/v8"]);
    });
});

describe("computeSourceFingerprint content", () => {
    it("lists local packages and modules", async () => {
        const result = await fingerprint(writeApp());
        assert.deepEqual(Object.keys(result.packages), ["example.com/app/cmd/app", "example.com/app/internal/greeting", "example.com/lib/words"]);
        assert.deepEqual(Object.keys(result.modules), ["example.com/app", "example.com/lib"]);
    });

    it("reports the Go version", async () => {
        const result = await fingerprint(writeApp());
        assert.match(result.goVersion, /^go1\.\d+/);
    });

    it("adds packages used only on windows", async () => {
        const result = await fingerprint(writeApp(), { platforms: ["linux/amd64", "windows/amd64"] });
        assert.ok("example.com/app/internal/winonly" in result.packages, Object.keys(result.packages).join(", "));
    });

    it("has no kodata entry without kodata", async () => {
        const root = writeApp();
        fs.rmSync(path.join(root, "app/cmd/app/kodata"), { recursive: true });
        const result = await fingerprint(root);
        assert.equal(result.kodata, undefined);
    });

    it("has no kodata entry for an empty kodata", async () => {
        const root = writeApp();
        fs.rmSync(path.join(root, "app/cmd/app/kodata"), { recursive: true });
        fs.mkdirSync(path.join(root, "app/cmd/app/kodata"));
        const result = await fingerprint(root);
        assert.equal(result.kodata, undefined);
    });

    it("is equal at another path", async () => {
        const first = writeApp();
        const second = makeTempFolder({});
        fs.cpSync(first, path.join(second, "nested"), { recursive: true });
        const original = await fingerprint(first, { platforms: ["linux/amd64", "linux/arm/v7", "windows/amd64"] });
        const copy = await fingerprint(path.join(second, "nested"), { platforms: ["linux/amd64", "linux/arm/v7", "windows/amd64"] });
        assert.deepEqual(copy, original);
    });

    it("contains no absolute paths", async () => {
        const root = writeApp();
        const text = JSON.stringify(await fingerprint(root));
        assert.ok(!text.includes(root), text);
        assert.ok(!text.includes(os.tmpdir()), text);
    });

    it("is equal on a second run", async () => {
        const root = writeApp();
        assert.deepEqual(await fingerprint(root), await fingerprint(root));
    });
});

describe("computeSourceFingerprint kodata links", () => {
    it("follows a link to a file", async () => {
        const root = writeApp({ "app/cmd/app/kodata/real/target.txt": "one\n" });
        fs.symlinkSync("real/target.txt", path.join(root, "app/cmd/app/kodata/link.txt"));
        const changed = await changesAfter(root, () => append(root, "app/cmd/app/kodata/real/target.txt", "two\n"));
        assert.deepEqual(changed, ["kodata"]);
    });

    it("differs from a copy without the link", async () => {
        const root = writeApp({ "app/cmd/app/kodata/real/target.txt": "one\n" });
        const before = await fingerprint(root);
        fs.symlinkSync("real", path.join(root, "app/cmd/app/kodata/linked-folder"));
        const after = await fingerprint(root);
        assert.deepEqual(listChangedEntries(before, after), ["kodata"]);
    });

    it("rejects a link outside kodata", async () => {
        const root = writeApp();
        fs.symlinkSync(path.join(root, "app/README.md"), path.join(root, "app/cmd/app/kodata/readme"));
        await assert.rejects(fingerprint(root), (error: Error) => error instanceof FingerprintError && /outside the kodata folder/.test(error.message));
    });

    it("rejects a link loop", async () => {
        const root = writeApp();
        fs.symlinkSync("..", path.join(root, "app/cmd/app/kodata/css/up"));
        await assert.rejects(fingerprint(root), (error: Error) => error instanceof FingerprintError && /loops back/.test(error.message));
    });

    it("rejects a broken link", async () => {
        const root = writeApp();
        fs.symlinkSync("missing.txt", path.join(root, "app/cmd/app/kodata/broken"));
        await assert.rejects(fingerprint(root), (error: Error) => error instanceof FingerprintError && /is broken/.test(error.message));
    });
});

/** Computes the h1 hash that go.sum records for a module's go.mod file (Go's dirhash Hash1 over that one file). */
function goModHash(content: string): string {
    const summary = `${createHash("sha256").update(content).digest("hex")}  go.mod\n`;
    return `h1:${createHash("sha256").update(summary).digest("base64")}`;
}

describe("computeSourceFingerprint module cache", () => {
    /** Writes an app that requires example.com/dep v1.0.0 and a module cache that contains it. */
    function writeCachedDependency(): { root: string; env: Record<string, string | undefined> } {
        const depGoMod = "module example.com/dep\n\ngo 1.22\n";
        const zipHash = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        const root = makeTempFolder({
            "cache/example.com/dep@v1.0.0/go.mod": depGoMod,
            "cache/example.com/dep@v1.0.0/dep.go": 'package dep\n\nconst Name = "dep"\n',
            "cache/cache/download/example.com/dep/@v/v1.0.0.mod": depGoMod,
            "cache/cache/download/example.com/dep/@v/v1.0.0.info": '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}',
            "cache/cache/download/example.com/dep/@v/v1.0.0.ziphash": zipHash,
            "app/go.mod": "module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
            "app/go.sum": `example.com/dep v1.0.0 ${zipHash}\nexample.com/dep v1.0.0/go.mod ${goModHash(depGoMod)}\n`,
            "app/cmd/app/main.go": 'package main\n\nimport "example.com/dep"\n\nfunc main() { println(dep.Name) }\n',
        });
        return { root, env: { ...testEnv, GOMODCACHE: path.join(root, "cache") } };
    }

    it("records the module's go.sum hash", async () => {
        const { root, env } = writeCachedDependency();
        const result = await fingerprint(root, { baseEnv: env });
        assert.equal(result.modules["example.com/dep@v1.0.0"], "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    });

    it("does not read the module's files", async () => {
        const { root, env } = writeCachedDependency();
        const result = await fingerprint(root, { baseEnv: env });
        assert.deepEqual(Object.keys(result.packages), ["example.com/app/cmd/app"]);
    });
});

describe("computeSourceFingerprint errors", () => {
    it("names a missing go and the fix", async () => {
        const emptyFolder = makeTempFolder({});
        await assert.rejects(
            fingerprint(writeApp(), { baseEnv: { PATH: emptyFolder } }),
            (error: Error) => error instanceof FingerprintError && /^go was not found on PATH: .*install Go .*put its bin folder on PATH/.test(error.message),
        );
    });

    it("names a missing KO_GO_PATH", async () => {
        await assert.rejects(
            fingerprint(writeApp(), { baseEnv: { ...testEnv, KO_GO_PATH: "/nonexistent/go" } }),
            (error: Error) => error instanceof FingerprintError && /^\/nonexistent\/go was not found at \/nonexistent\/go \(KO_GO_PATH\)/.test(error.message),
        );
    });

    it("reports a missing package with go's output", async () => {
        const root = writeApp({ "app/cmd/app/missing.go": 'package main\n\nimport _ "example.com/app/internal/missing"\n' });
        const error = await fingerprint(root).then(
            () => assert.fail("expected go list to fail"),
            (caught: Error) => caught,
        );
        assert.ok(error instanceof FingerprintError, String(error));
        assert.match(error.message, /^go list -deps -json=\S+ \.\/cmd\/app failed in /);
        assert.ok(error.message.includes(path.join(root, "app")), error.message);
        assert.match(error.message, /for linux\/amd64 \(exit code 1\)/);
        assert.match(error.message, /example\.com\/app\/internal\/missing/);
    });

    it("reports an import syntax error", async () => {
        const root = writeApp({ "app/cmd/app/broken.go": 'package main\n\nimport "fmt\n' });
        await assert.rejects(fingerprint(root), (error: Error) => error instanceof FingerprintError && /broken\.go:3:8: .*not terminated/.test(error.message));
    });

    it("rejects a pattern with several packages", async () => {
        await assert.rejects(fingerprint(writeApp(), { main: "./..." }), (error: Error) => error instanceof FingerprintError && /matches \d+ packages/.test(error.message));
    });

    it("rejects platform all", async () => {
        await assert.rejects(fingerprint(writeApp(), { platforms: ["all"] }), (error: Error) => error instanceof FingerprintError && /"all" cannot be fingerprinted/.test(error.message));
    });

    it("rejects an env entry without =", async () => {
        await assert.rejects(fingerprint(writeApp(), { env: ["CGO_ENABLED"] }), (error: Error) => error instanceof FingerprintError && /env entry "CGO_ENABLED" is invalid/.test(error.message));
    });

    it("rejects a relative working directory", async () => {
        await assert.rejects(
            computeSourceFingerprint({ workingDir: "app", main: ".", platforms: ["linux/amd64"], baseEnv: testEnv }),
            (error: Error) => error instanceof FingerprintError && /workingDir "app" is not absolute/.test(error.message),
        );
    });

    it("rejects a missing working directory", async () => {
        const root = writeApp();
        await assert.rejects(fingerprint(path.join(root, "nope")), (error: Error) => error instanceof FingerprintError && /working directory .* does not exist/.test(error.message));
    });

    it("rejects a missing -pgo profile", async () => {
        await assert.rejects(fingerprint(writeApp(), { flags: ["-pgo=missing.pgo"] }), (error: Error) => error instanceof FingerprintError && /PGO profile .*missing\.pgo .*not found/.test(error.message));
    });
});
