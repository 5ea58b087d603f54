import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ConfigError, loadGoreleaserConfig } from "../../provider";
import { repoRoot, writeTempFiles } from "../support/paths";

/** Loads `yaml` as `.goreleaser.yaml` in a fresh folder, with results relative to that folder. */
function load(yaml: string, env: Record<string, string> = {}) {
    const dir = writeTempFiles({ ".goreleaser.yaml": yaml, "go.mod": "module example.com/acme/tool\n" });
    return loadGoreleaserConfig(".goreleaser.yaml", { baseDir: dir, env });
}

/** Loads `yaml` and returns the ConfigError it raises. */
function loadError(yaml: string, env: Record<string, string> = {}): ConfigError {
    try {
        load(yaml, env);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected the configuration to be rejected");
}

describe("loadGoreleaserConfig defaults", () => {
    it("fills GoReleaser's defaults for an empty entry", () => {
        const config = load("project_name: test\nkos:\n  - repositories: [ghcr.io/acme/test]\n");
        assert.equal(config.projectName, "test");
        assert.equal(config.entries.length, 1);
        const [entry] = config.entries;
        assert.equal(entry.id, "test");
        assert.equal(entry.build, "test");
        assert.equal(entry.disabled, false);
        assert.equal(entry.spec.workingDir, ".");
        assert.deepEqual(entry.spec.repositories, ["ghcr.io/acme/test"]);
        // Image defaults (base image, platforms, tags, sbom) are applied by the resource.
        assert.equal(entry.spec.baseImage, undefined);
    });

    it("takes the project name from go.mod", () => {
        const config = load("kos:\n  - repositories: [ghcr.io/acme/tool]\n");
        assert.equal(config.projectName, "tool");
        assert.equal(config.entries[0].id, "tool");
    });

    it("inherits main, dir, flags, ldflags and env from the build", () => {
        const config = load(
            [
                "project_name: test",
                "builds:",
                "  - id: api",
                "    main: ./cmd/api",
                "    dir: service",
                "    ldflags: -s -w",
                "    flags: -tags netgo",
                "    env: [CGO_ENABLED=0]",
                "kos:",
                "  - id: api",
                "    repositories: [ghcr.io/acme/api]",
                "",
            ].join("\n"),
        );
        const { spec } = config.entries[0];
        assert.equal(spec.main, "./cmd/api");
        assert.equal(spec.workingDir, "service");
        assert.deepEqual(spec.ldflags, ["-s -w"]);
        assert.deepEqual(spec.flags, ["-tags", "netgo"]);
        assert.deepEqual(spec.env, ["CGO_ENABLED=0"]);
    });

    it("keeps the entry's own values over the build's", () => {
        const config = load(
            "builds:\n  - id: api\n    main: ./cmd/api\n    ldflags: [-s]\nkos:\n  - id: api\n    main: ./cmd/other\n    ldflags: [-w]\n    repositories: [ghcr.io/acme/api]\n",
        );
        assert.equal(config.entries[0].spec.main, "./cmd/other");
        assert.deepEqual(config.entries[0].spec.ldflags, ["-w"]);
    });

    it("makes working_dir relative to the base folder", () => {
        const dir = writeTempFiles({ "deploy/.goreleaser.yaml": "kos:\n  - id: x\n    build: x\n    working_dir: ../app\n    repositories: [ghcr.io/acme/x]\nbuilds: [{id: x}]\n" });
        const config = loadGoreleaserConfig("deploy/.goreleaser.yaml", { baseDir: dir, env: {} });
        assert.equal(config.entries[0].spec.workingDir, "app");
    });

    it("replaces repositories with KO_DOCKER_REPO", () => {
        const config = load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a, ghcr.io/acme/b]\n", { KO_DOCKER_REPO: "127.0.0.1:5000/xy" });
        assert.deepEqual(config.entries[0].spec.repositories, ["127.0.0.1:5000/xy"]);
    });

    it("appends the deprecated repository with a warning", () => {
        const config = load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    repository: ghcr.io/acme/b\n");
        assert.deepEqual(config.entries[0].spec.repositories, ["ghcr.io/acme/a", "ghcr.io/acme/b"]);
        assert.equal(config.warnings.length, 1);
        assert.match(config.warnings[0], /^\.goreleaser\.yaml:4:17: kos\[0\]\.repository: is deprecated/);
    });

    for (const deprecated of ["cyclonedx", "go.version-m"]) {
        it(`maps sbom ${deprecated} to none`, () => {
            const config = load(`project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    sbom: ${deprecated}\n`);
            assert.equal(config.entries[0].spec.sbom, "none");
            assert.match(config.warnings[0], /kos\[0\]\.sbom: "[a-z.-]+" is deprecated/);
        });
    }

    it("marks a disabled entry", () => {
        const config = load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    disable: true\n");
        assert.equal(config.entries[0].disabled, true);
    });

    it("loads the example configuration", () => {
        const config = loadGoreleaserConfig("examples/hello/.goreleaser.yaml", { baseDir: repoRoot, env: {} });
        assert.deepEqual(
            config.entries.map((entry) => [entry.id, entry.spec.main, entry.spec.workingDir]),
            [
                ["hello", "./cmd/hello", "examples/hello"],
                ["goodbye", "./cmd/goodbye", "examples/hello"],
            ],
        );
        assert.deepEqual(config.entries[0].spec.platforms, ["linux/amd64", "linux/arm64"]);
    });
});

describe("loadGoreleaserConfig errors", () => {
    it("names a missing file", () => {
        const dir = writeTempFiles({});
        assert.throws(
            () => loadGoreleaserConfig("missing.yaml", { baseDir: dir, env: {} }),
            (error: Error) => error instanceof ConfigError && error.message.includes(`file not found at ${path.join(dir, "missing.yaml")}`),
        );
    });

    it("locates a YAML syntax error", () => {
        const error = loadError("kos:\n  - id: a\n    tags: [latest\n");
        assert.equal(error.problems.length, 1);
        assert.equal(error.problems[0].file, ".goreleaser.yaml");
        assert.ok(error.problems[0].line >= 3, `line ${error.problems[0].line}`);
        assert.match(error.problems[0].message, /^invalid YAML: /);
    });

    it("locates an unknown key", () => {
        const error = loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    platfroms: [linux/arm64]\n");
        assert.equal(error.problems.length, 1);
        const [problem] = error.problems;
        assert.deepEqual([problem.line, problem.column, problem.keyPath], [4, 5, "kos[0].platfroms"]);
        assert.match(problem.message, /unknown key; accepted keys: id, build, main/);
    });

    it("locates a value of the wrong type", () => {
        const error = loadError("project_name: t\nkos:\n  - repositories: ghcr.io/acme/a\n");
        const [problem] = error.problems;
        assert.deepEqual([problem.line, problem.column, problem.keyPath], [3, 19, "kos[0].repositories"]);
        assert.match(problem.message, /invalid type: expected array \(got "ghcr.io\/acme\/a"\)/);
    });

    it("rejects a missing build", () => {
        const error = loadError("builds: [{id: api}]\nkos:\n  - id: web\n    repositories: [ghcr.io/acme/web]\n");
        assert.match(error.message, /kos\[0\]: no builds with id "web"; defined build ids: api/);
    });

    it("rejects a main that is not relative", () => {
        const error = loadError("project_name: t\nkos:\n  - main: app/\n    repositories: [ghcr.io/acme/a]\n");
        assert.match(error.message, /:3:11: kos\[0\]\.main: must be a relative package path/);
    });

    it("rejects a main that is a .go file", () => {
        const error = loadError("project_name: t\nkos:\n  - main: ./cmd/x/main.go\n    repositories: [ghcr.io/acme/a]\n");
        assert.match(error.message, /kos\[0\]\.main: must point to a package directory, not a \.go file/);
    });

    it("locates an invalid main inherited from the build", () => {
        const error = loadError("builds:\n  - id: t\n    main: main.go\nkos:\n  - id: t\n    repositories: [ghcr.io/acme/a]\n");
        assert.match(error.message, /:3:11: builds\[0\]\.main: must be a relative package path .*\(inherited by kos\[0\]\.main\)/);
    });

    it("rejects missing repositories", () => {
        const error = loadError("project_name: t\nkos:\n  - id: t\n");
        assert.match(error.message, /kos\[0\]\.repositories: missing: set at least one repository/);
    });

    it("rejects an unknown sbom format", () => {
        const error = loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    sbom: nope\n");
        assert.match(error.message, /:4:11: kos\[0\]\.sbom: is not a supported SBOM format: use one of spdx, none \(got "nope"\)/);
    });

    it("rejects an invalid platform", () => {
        const error = loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    platforms: [linux/amd64, arm64]\n");
        assert.match(error.message, /kos\[0\]\.platforms\[1\]: is not a valid platform/);
    });

    it("rejects a one-character repository path", () => {
        const error = loadError("project_name: t\nkos:\n  - repositories: [127.0.0.1:5000/z]\n");
        assert.match(error.message, /kos\[0\]\.repositories\[0\]: is not a valid repository: .* \(got "127\.0\.0\.1:5000\/z"\)/);
    });

    it("rejects duplicate ids", () => {
        const error = loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n  - repositories: [ghcr.io/acme/b]\n");
        assert.match(error.message, /kos\[1\]: found 2 kos with the ID 't'/);
    });

    it("rejects templates it cannot evaluate", () => {
        const error = loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    tags: ['{{ .Version }}']\n");
        assert.match(error.message, /kos\[0\]\.tags\[0\]: uses a GoReleaser template/);
    });

    it("reports every problem at once", () => {
        const error = loadError(
            "project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    sbom: nope\n    platforms: [bad]\n  - id: other\n    build: missing\n",
        );
        assert.equal(error.problems.length, 4, error.message);
        assert.match(error.message, /\(4 problems\)/);
    });
});
