import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ConfigError, loadGoreleaserConfig } from "../../provider";
import { validateImageSpec } from "../../provider/spec/validate";
import { emptyTemplateContext } from "../../provider/template";
import { repoRoot, writeTempFiles } from "../support/paths";

/** Template variables of a release of v1.2.3 at a fixed time, as git would give them. */
const templateContext = {
    ...emptyTemplateContext(new Date("2026-12-01T10:00:00Z")),
    ProjectName: "test",
    Version: "1.2.3",
    RawVersion: "1.2.3",
    Tag: "v1.2.3",
    Major: 1n,
    Minor: 2n,
    Patch: 3n,
    FullCommit: "0123456789abcdef0123456789abcdef01234567",
    Commit: "0123456789abcdef0123456789abcdef01234567",
    ShortCommit: "0123456",
    CommitTimestamp: 1764583200n,
    Env: { REGISTRY: "ghcr.io/acme" },
};

/** Loads `yaml` as `.goreleaser.yaml` in a fresh folder, with results relative to that folder. */
function load(yaml: string, env: Record<string, string> = {}) {
    const dir = writeTempFiles({ ".goreleaser.yaml": yaml, "go.mod": "module example.com/acme/tool\n" });
    return loadGoreleaserConfig(".goreleaser.yaml", { baseDir: dir, env, templateContext });
}

/** Loads `yaml` and returns the ConfigError it raises. */
async function loadError(yaml: string, env: Record<string, string> = {}): Promise<ConfigError> {
    try {
        await load(yaml, env);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected the configuration to be rejected");
}

describe("loadGoreleaserConfig defaults", () => {
    it("fills GoReleaser's defaults for an empty entry", async () => {
        const config = await load("project_name: test\nkos:\n  - repositories: [ghcr.io/acme/test]\n");
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

    it("takes the project name from go.mod", async () => {
        const config = await load("kos:\n  - repositories: [ghcr.io/acme/tool]\n");
        assert.equal(config.projectName, "tool");
        assert.equal(config.entries[0].id, "tool");
    });

    it("inherits main, dir, flags, ldflags and env from the build", async () => {
        const config = await load(
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

    it("keeps the entry's own values over the build's", async () => {
        const config = await load(
            "builds:\n  - id: api\n    main: ./cmd/api\n    ldflags: [-s]\nkos:\n  - id: api\n    main: ./cmd/other\n    ldflags: [-w]\n    repositories: [ghcr.io/acme/api]\n",
        );
        assert.equal(config.entries[0].spec.main, "./cmd/other");
        assert.deepEqual(config.entries[0].spec.ldflags, ["-w"]);
    });

    it("makes working_dir relative to the base folder", async () => {
        const dir = writeTempFiles({ "deploy/.goreleaser.yaml": "kos:\n  - id: x\n    build: x\n    working_dir: ../app\n    repositories: [ghcr.io/acme/x]\nbuilds: [{id: x}]\n" });
        const config = await loadGoreleaserConfig("deploy/.goreleaser.yaml", { baseDir: dir, env: {}, templateContext });
        assert.equal(config.entries[0].spec.workingDir, "app");
    });

    it("replaces repositories with KO_DOCKER_REPO", async () => {
        const config = await load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a, ghcr.io/acme/b]\n", { KO_DOCKER_REPO: "127.0.0.1:5000/xy" });
        assert.deepEqual(config.entries[0].spec.repositories, ["127.0.0.1:5000/xy"]);
    });

    it("appends the deprecated repository with a warning", async () => {
        const config = await load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    repository: ghcr.io/acme/b\n");
        assert.deepEqual(config.entries[0].spec.repositories, ["ghcr.io/acme/a", "ghcr.io/acme/b"]);
        assert.equal(config.warnings.length, 1);
        assert.match(config.warnings[0], /^\.goreleaser\.yaml:4:17: kos\[0\]\.repository: is deprecated/);
    });

    for (const deprecated of ["cyclonedx", "go.version-m"]) {
        it(`maps sbom ${deprecated} to none`, async () => {
            const config = await load(`project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    sbom: ${deprecated}\n`);
            assert.equal(config.entries[0].spec.sbom, "none");
            assert.match(config.warnings[0], /kos\[0\]\.sbom: "[a-z.-]+" is deprecated/);
        });
    }

    it("marks a disabled entry", async () => {
        const config = await load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    disable: true\n");
        assert.equal(config.entries[0].disabled, true);
    });

    it("loads the example configuration", async () => {
        const config = await loadGoreleaserConfig("examples/hello/.goreleaser.yaml", { baseDir: repoRoot, env: {}, snapshot: true });
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

describe("loadGoreleaserConfig templates", () => {
    it("evaluates tags and drops empty ones", async () => {
        const config = await load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    tags: ['{{ .Version }}', '{{ if .Prerelease }}beta{{ end }}', 'v{{ .Major }}']\n");
        assert.deepEqual(config.entries[0].spec.tags, ["1.2.3", "", "v1"]);
        assert.equal(config.entries[0].stableValues?.tags, undefined);
    });

    it("inherits GoReleaser's default ldflags", async () => {
        const config = await load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n");
        const commit = "0123456789abcdef0123456789abcdef01234567";
        assert.deepEqual(config.entries[0].spec.ldflags, [
            `-s -w -X main.version=1.2.3 -X main.commit=${commit} -X main.date=2026-12-01T10:00:00Z -X main.builtBy=goreleaser`,
        ]);
        assert.deepEqual(config.entries[0].stableValues, {
            ldflags: [`-s -w -X main.version=1.2.3 -X main.commit=${commit} -X main.date=1970-01-01T00:00:00Z -X main.builtBy=goreleaser`],
        });
    });

    it("evaluates labels, repositories and creation times", async () => {
        const config = await load(
            [
                "project_name: t",
                "kos:",
                "  - repositories: ['{{ .Env.REGISTRY }}/a', '{{ if .IsSnapshot }}local/a{{ end }}']",
                "    labels: {version: '{{ .Version }}', project: '{{ .ProjectName }}'}",
                "    creation_time: '{{ .CommitTimestamp }}'",
                "",
            ].join("\n"),
        );
        const { spec } = config.entries[0];
        assert.deepEqual(spec.repositories, ["ghcr.io/acme/a"]);
        assert.deepEqual(spec.labels, { version: "1.2.3", project: "test" });
        assert.equal(spec.creationTime, "1764583200");
    });

    it("adds the top-level env to .Env", async () => {
        const config = await load("project_name: t\nenv: ['IMAGE=app-{{ .Version }}']\nkos:\n  - repositories: ['ghcr.io/acme/{{ .Env.IMAGE }}']\n");
        assert.deepEqual(config.entries[0].spec.repositories, ["ghcr.io/acme/app-1.2.3"]);
    });

    it("evaluates disable", async () => {
        const config = await load("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    disable: '{{ not (isEnvSet \"FOO\") }}'\n");
        assert.equal(config.entries[0].disabled, true);
    });

    it("expands variables in build env", async () => {
        const config = await load("builds:\n  - id: t\n    ldflags: [-s]\n    env: ['GOPRIVATE=${PRIVATE}', 'X=$UNSET']\nkos:\n  - id: t\n    repositories: [ghcr.io/acme/a]\n", { PRIVATE: "example.com" });
        assert.deepEqual(config.entries[0].spec.env, ["GOPRIVATE=example.com", "X="]);
    });
});

describe("loadGoreleaserConfig errors", () => {
    it("names a missing file", async () => {
        const dir = writeTempFiles({});
        await assert.rejects(
            loadGoreleaserConfig("missing.yaml", { baseDir: dir, env: {} }),
            (error: Error) => error instanceof ConfigError && error.message.includes(`file not found at ${path.join(dir, "missing.yaml")}`),
        );
    });

    it("locates a YAML syntax error", async () => {
        const error = await loadError("kos:\n  - id: a\n    tags: [latest\n");
        assert.equal(error.problems.length, 1);
        assert.equal(error.problems[0].file, ".goreleaser.yaml");
        assert.ok(error.problems[0].line >= 3, `line ${error.problems[0].line}`);
        assert.match(error.problems[0].message, /^invalid YAML: /);
    });

    it("locates an unknown key", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    platfroms: [linux/arm64]\n");
        assert.equal(error.problems.length, 1);
        const [problem] = error.problems;
        assert.deepEqual([problem.line, problem.column, problem.keyPath], [4, 5, "kos[0].platfroms"]);
        assert.match(problem.message, /unknown key; did you mean platforms\? Accepted keys: id, build, main/);
    });

    it("locates a value of the wrong type", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: ghcr.io/acme/a\n");
        const [problem] = error.problems;
        assert.deepEqual([problem.line, problem.column, problem.keyPath], [3, 19, "kos[0].repositories"]);
        assert.match(problem.message, /invalid type: expected array \(got "ghcr.io\/acme\/a"\)/);
    });

    it("rejects a missing build", async () => {
        const error = await loadError("builds: [{id: api}]\nkos:\n  - id: web\n    repositories: [ghcr.io/acme/web]\n");
        assert.match(error.message, /kos\[0\]: no builds with id "web"; defined build ids: api/);
    });

    it("rejects a main that is not relative", async () => {
        const error = await loadError("project_name: t\nkos:\n  - main: app/\n    repositories: [ghcr.io/acme/a]\n");
        assert.match(error.message, /:3:11: kos\[0\]\.main: must be a relative package path/);
    });

    it("rejects a main that is a .go file", async () => {
        const error = await loadError("project_name: t\nkos:\n  - main: ./cmd/x/main.go\n    repositories: [ghcr.io/acme/a]\n");
        assert.match(error.message, /kos\[0\]\.main: must point to a package directory, not a \.go file/);
    });

    it("locates an invalid main inherited from the build", async () => {
        const error = await loadError("builds:\n  - id: t\n    main: main.go\nkos:\n  - id: t\n    repositories: [ghcr.io/acme/a]\n");
        assert.match(error.message, /:3:11: builds\[0\]\.main: must be a relative package path .*\(inherited by kos\[0\]\.main\)/);
    });

    it("rejects missing repositories", async () => {
        const error = await loadError("project_name: t\nkos:\n  - id: t\n");
        assert.match(error.message, /kos\[0\]\.repositories: missing: set at least one repository/);
    });

    it("rejects an unknown sbom format", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    sbom: nope\n");
        assert.match(error.message, /:4:11: kos\[0\]\.sbom: is not a supported SBOM format: use one of spdx, none \(got "nope"\)/);
    });

    it("rejects an invalid platform", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    platforms: [linux/amd64, arm64]\n");
        assert.match(error.message, /kos\[0\]\.platforms\[1\]: is not a valid platform/);
    });

    it("rejects a one-character repository path", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [127.0.0.1:5000/z]\n");
        assert.match(error.message, /kos\[0\]\.repositories\[0\]: is not a valid repository: .* \(got "127\.0\.0\.1:5000\/z"\)/);
    });

    it("rejects a platform Go cannot build", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    platforms: [linux/amd46]\n");
        assert.match(error.message, /:4:17: kos\[0\]\.platforms\[0\]: is not a platform Go can build for: .* \(got "linux\/amd46"\)/);
    });

    it("rejects duplicate ids", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n  - repositories: [ghcr.io/acme/b]\n");
        assert.match(error.message, /kos\[1\]: found 2 kos with the ID 't'/);
    });

    it("locates a template error", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    tags: [latest, '{{ .Nope }}']\n");
        assert.match(error.message, /:4:20: kos\[0\]\.tags\[1\]: invalid template: .*"Nope"/);
    });

    it("names an unset environment variable", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: ['{{ .Env.UNSET_REGISTRY }}/a']\n");
        assert.match(error.message, /kos\[0\]\.repositories\[0\]: invalid template: .*UNSET_REGISTRY.*envOrDefault/);
    });

    it("suggests the key meant", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    base_import_path: true\n");
        assert.match(error.message, /kos\[0\]\.base_import_path: unknown key; did you mean base_import_paths\?/);
    });

    it("reports unknown keys with value problems", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    platfroms: [x]\n    sbom: syft\n    tags: latest\n");
        assert.deepEqual(
            error.problems.map((problem) => problem.keyPath),
            ["kos[0].platfroms", "kos[0].sbom", "kos[0].tags"],
        );
    });

    it("reports every problem at once", async () => {
        const error = await loadError(
            "project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    sbom: nope\n    platforms: [bad]\n  - id: other\n    build: missing\n",
        );
        assert.equal(error.problems.length, 4, error.message);
        assert.match(error.message, /\(4 problems\)/);
    });
});

describe("main path rule", () => {
    // The cases GoReleaser's own tests list for its main-path check.
    const valid = ["", ".", "./...", "./app", "../../../...", "../../app/", "./testdata/app/main", "./testdata/app/folder.with.dots"];
    for (const main of valid) {
        it(`accepts ${JSON.stringify(main)}`, () => {
            assert.deepEqual(validateImageSpec({ main, repositories: ["ghcr.io/acme/app"] }), []);
        });
    }
    for (const main of ["app/", "/src/", "/src/app", "main.go"]) {
        it(`rejects ${JSON.stringify(main)} as not relative`, () => {
            const [problem] = validateImageSpec({ main, repositories: ["ghcr.io/acme/app"] });
            assert.match(problem.message, /must be a relative package path/);
        });
    }
    it("rejects a .go file", () => {
        const [problem] = validateImageSpec({ main: "./testdata/app/main.go", repositories: ["ghcr.io/acme/app"] });
        assert.match(problem.message, /not a \.go file/);
    });
});

describe("template errors by key", () => {
    const cases = [
        { key: "kos[0].labels.foo", yaml: "    labels: {foo: '{{ .Nope }}'}\n" },
        { key: "kos[0].annotations.foo", yaml: "    annotations: {foo: '{{ .Nope }}'}\n" },
        { key: "kos[0].tags[0]", yaml: "    tags: ['{{ .Nope }}']\n" },
        { key: "kos[0].creation_time", yaml: "    creation_time: '{{ .Nope }}'\n" },
        { key: "kos[0].ko_data_creation_time", yaml: "    ko_data_creation_time: '{{ .Nope }}'\n" },
        { key: "kos[0].base_image", yaml: "    base_image: '{{ .Nope }}'\n" },
        { key: "kos[0].repositories[1]", yaml: "    repositories: [ghcr.io/acme/a, '{{ .Nope }}']\n" },
        { key: "kos[0].disable", yaml: "    disable: '{{ .Nope }}'\n" },
    ];
    for (const { key, yaml } of cases) {
        it(`locates ${key}`, async () => {
            const repositories = yaml.includes("repositories") ? "" : "    repositories: [ghcr.io/acme/a]\n";
            const error = await loadError(`project_name: t\nkos:\n  - id: t\n${repositories}${yaml}`);
            assert.equal(error.problems.length, 1, error.message);
            assert.equal(error.problems[0].keyPath, key);
            assert.match(error.problems[0].message, /invalid template: .*"Nope"/);
        });
    }

    for (const key of ["env", "ldflags"]) {
        it(`locates build ${key}`, async () => {
            const error = await loadError(`builds:\n  - id: t\n    ${key}: ['X={{ .Nope }}']\nkos:\n  - id: t\n    repositories: [ghcr.io/acme/a]\n`);
            assert.equal(error.problems[0].keyPath, `builds[0].${key}[0]`);
        });
    }

    it("rejects a creation time that is no number", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    creation_time: nope\n");
        assert.match(error.message, /kos\[0\]\.creation_time: must be a Unix time in whole seconds/);
    });

    it("rejects an invalid base image", async () => {
        const error = await loadError("project_name: t\nkos:\n  - repositories: [ghcr.io/acme/a]\n    base_image: not a valid image hopefully\n");
        assert.match(error.message, /kos\[0\]\.base_image: is not a valid image reference/);
    });
});
