import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { pushBaseImageFixture } from "../../cli/baseImage";
import { koImagesFromGoreleaser } from "../../provider";
import { repoRoot } from "../support/paths";
import { createTestProject, writeFiles, type TestProject } from "../support/project";
import { crane } from "../support/registryImages";
import { startTestRegistry, type TestRegistry } from "../support/registryServer";

/** A Go module with two programs that share a package, and the files each edit row touches. */
const moduleFiles: Record<string, string> = {
    "app/go.mod": "module example.com/matrix\n\ngo 1.22\n\nrequire github.com/google/uuid v1.5.0\n",
    "app/cmd/api/main.go": [
        "package main",
        "",
        "import (",
        '\t_ "embed"',
        '\t"fmt"',
        "",
        '\t"example.com/matrix/internal/shared"',
        '\t"github.com/google/uuid"',
        ")",
        "",
        "//go:embed static/banner.txt",
        "var banner string",
        "",
        "func main() { fmt.Println(banner, shared.Name(), uuid.NewString()) }",
        "",
    ].join("\n"),
    "app/cmd/api/static/banner.txt": "api\n",
    "app/cmd/api/kodata/index.html": "<p>api</p>\n",
    "app/cmd/worker/main.go": 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/matrix/internal/shared"\n)\n\nfunc main() { fmt.Println(shared.Name()) }\n',
    "app/internal/shared/shared.go": "package shared\n\n// Name names the shared package.\nfunc Name() string { return \"shared\" }\n",
    "app/internal/shared/shared_windows.go": "package shared\n\n// OnWindows is built for Windows only.\nconst OnWindows = true\n",
    "app/internal/shared/shared_test.go": 'package shared\n\nimport "testing"\n\nfunc TestName(t *testing.T) { _ = Name() }\n',
    "app/internal/unused/unused.go": "package unused\n\n// Unused is imported by no program.\nconst Unused = 1\n",
    "app/README.md": "# matrix\n",
};

/** One edit and the images whose preview must show an update, no more and no fewer. */
interface EditRow {
    readonly name: string;
    readonly edit: () => void | Promise<void>;
    readonly revert: () => void | Promise<void>;
    readonly updates: readonly string[];
}

/**
 * Edits sources, configuration and environment one at a time and checks that `pulumi preview`
 * updates exactly the images whose content would change, without building.
 */
describe("preview edit matrix", { timeout: 900_000 }, () => {
    let registry: TestRegistry;
    let project: TestProject;
    let stack: Stack;
    let projectDir: string;
    let goreleaserYaml: string;
    const baseTag = () => `${registry.address}/kos-base:matrix`;

    const program = async () => {
        const images = await koImagesFromGoreleaser(".goreleaser.yaml", { baseDir: projectDir });
        return Object.fromEntries(Object.entries(images).map(([id, image]) => [id, image.imageRef]));
    };

    /** Runs a preview and returns the names of the resources it would update, failing on any other change. */
    async function previewUpdates(): Promise<string[]> {
        const events: EngineEvent[] = [];
        await stack.preview({ onEvent: (event) => events.push(event) });
        const steps = events.flatMap((event) => (event.resourcePreEvent ? [event.resourcePreEvent.metadata] : []));
        const changes = steps.filter((step) => step.op !== "same" && step.type !== "pulumi:pulumi:Stack");
        for (const step of changes) assert.equal(step.op, "update", `${step.urn} would ${step.op}`);
        return changes.map((step) => step.urn.split("::").pop() ?? step.urn).sort();
    }

    const file = (name: string) => path.join(projectDir, name);
    const append = (name: string, text: string) => () => fs.appendFileSync(file(name), text);
    const restore = (name: string) => () => fs.writeFileSync(file(name), moduleFiles[name] ?? goreleaserYaml);
    const editConfig = (from: string, to: string) => () => {
        assert.ok(goreleaserYaml.includes(from), `the config has no ${from}`);
        fs.writeFileSync(file(".goreleaser.yaml"), goreleaserYaml.replace(from, to));
    };
    const restoreConfig = () => fs.writeFileSync(file(".goreleaser.yaml"), goreleaserYaml);

    before(async () => {
        registry = await startTestRegistry();
        const baseIndex = pushBaseImageFixture(registry.address);
        crane(["copy", baseIndex, baseTag()]);
        goreleaserYaml = [
            "project_name: matrix",
            "builds:",
            "  - {id: api, dir: app, main: ./cmd/api, ldflags: [-s -w]}",
            "  - {id: worker, dir: app, main: ./cmd/worker, ldflags: [-s -w]}",
            "kos:",
            "  - id: api",
            `    repositories: [${registry.address}/matrix]`,
            `    base_image: ${baseTag()}`,
            "    base_import_paths: true",
            "    platforms: [linux/amd64, linux/arm64]",
            "    tags: [latest]",
            "    labels: {team: platform}",
            "    sbom: none",
            "  - id: worker",
            `    repositories: [${registry.address}/matrix]`,
            `    base_image: ${baseTag()}`,
            "    base_import_paths: true",
            "    flags: [-trimpath]",
            "    env: [GOFLAGS=-mod=mod]",
            "    sbom: none",
            "",
        ].join("\n");
        project = createTestProject({ ...moduleFiles, ".goreleaser.yaml": goreleaserYaml });
        projectDir = project.dir;
        execFileSync("go", ["mod", "tidy"], { cwd: file("app"), stdio: "pipe" });
        moduleFiles["app/go.mod"] = fs.readFileSync(file("app/go.mod"), "utf8");
        moduleFiles["app/go.sum"] = fs.readFileSync(file("app/go.sum"), "utf8");

        stack = await project.openStack("matrix", program);
        const result = await stack.up();
        assert.deepEqual(result.summary.resourceChanges, { create: 3 });
    });
    after(async () => {
        await stack?.workspace.removeStack("matrix", { force: true }).catch(() => undefined);
        project?.dispose();
        await registry?.stop();
    });

    it("no-op preview runs no build", async () => {
        project.clearToolCalls();
        assert.deepEqual(await previewUpdates(), []);
        const calls = project.toolCalls();
        assert.deepEqual(calls.filter((call) => call.startsWith("ko ") || call.startsWith("go build")), []);
        assert.ok(calls.some((call) => call.startsWith("go list")), "the fingerprint ran go list");
    });

    const rows: EditRow[] = [
        { name: "main package file", edit: append("app/cmd/api/main.go", "\n// edited\n"), revert: restore("app/cmd/api/main.go"), updates: ["api"] },
        { name: "shared local package", edit: append("app/internal/shared/shared.go", "\n// edited\n"), revert: restore("app/internal/shared/shared.go"), updates: ["api", "worker"] },
        { name: "package used by none", edit: append("app/internal/unused/unused.go", "\n// edited\n"), revert: restore("app/internal/unused/unused.go"), updates: [] },
        { name: "test file", edit: append("app/internal/shared/shared_test.go", "\n// edited\n"), revert: restore("app/internal/shared/shared_test.go"), updates: [] },
        { name: "README", edit: append("app/README.md", "more\n"), revert: restore("app/README.md"), updates: [] },
        { name: "kodata file", edit: append("app/cmd/api/kodata/index.html", "<p>more</p>\n"), revert: restore("app/cmd/api/kodata/index.html"), updates: ["api"] },
        { name: "embedded file", edit: append("app/cmd/api/static/banner.txt", "more\n"), revert: restore("app/cmd/api/static/banner.txt"), updates: ["api"] },
        { name: "file for another GOOS", edit: append("app/internal/shared/shared_windows.go", "\n// edited\n"), revert: restore("app/internal/shared/shared_windows.go"), updates: [] },
        {
            name: "dependency bump",
            edit: () => execFileSync("go", ["get", "github.com/google/uuid@v1.6.0"], { cwd: file("app"), stdio: "pipe" }),
            revert: () => writeFiles(projectDir, { "app/go.mod": moduleFiles["app/go.mod"], "app/go.sum": moduleFiles["app/go.sum"] }),
            updates: ["api"],
        },
        { name: "flags", edit: editConfig("flags: [-trimpath]", "flags: [-trimpath, -tags=netgo]"), revert: restoreConfig, updates: ["worker"] },
        { name: "env", edit: editConfig("env: [GOFLAGS=-mod=mod]", "env: [GOFLAGS=-mod=mod, CGO_ENABLED=0]"), revert: restoreConfig, updates: ["worker"] },
        { name: "ldflags", edit: editConfig("main: ./cmd/worker, ldflags: [-s -w]", "main: ./cmd/worker, ldflags: [-s]"), revert: restoreConfig, updates: ["worker"] },
        { name: "platforms", edit: editConfig("platforms: [linux/amd64, linux/arm64]", "platforms: [linux/amd64]"), revert: restoreConfig, updates: ["api"] },
        { name: "tags", edit: editConfig("tags: [latest]", "tags: [latest, stable]"), revert: restoreConfig, updates: ["api"] },
        { name: "labels", edit: editConfig("labels: {team: platform}", "labels: {team: web}"), revert: restoreConfig, updates: ["api"] },
        {
            name: "base image moved",
            edit: () => crane(["copy", `${registry.address}/kos-base:linux-amd64`, baseTag()]),
            revert: () => crane(["copy", `${registry.address}/kos-base:latest`, baseTag()]),
            updates: ["api", "worker"],
        },
        { name: "Go version", edit: () => project.setGoVersionSuffix("-next"), revert: () => project.setGoVersionSuffix(""), updates: ["api", "worker"] },
        { name: "mtime-only touch", edit: () => touchAll(file("app")), revert: () => undefined, updates: [] },
    ];
    for (const row of rows) {
        it(`edit: ${row.name}`, async () => {
            await row.edit();
            try {
                assert.deepEqual(await previewUpdates(), [...row.updates].sort());
            } finally {
                await row.revert();
            }
        });
    }

    it("moved checkout previews no change", async () => {
        const moved = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-moved-"));
        fs.cpSync(project.dir, moved, { recursive: true, verbatimSymlinks: true });
        const originalDir = projectDir;
        projectDir = moved;
        try {
            stack = await project.openStackIn(moved, "matrix", program);
            assert.deepEqual(await previewUpdates(), []);
        } finally {
            projectDir = originalDir;
            stack = await project.openStack("matrix", program);
            fs.rmSync(moved, { recursive: true, force: true });
        }
    });
});

/** Sets the access and modification times of every file below a folder to now. */
function touchAll(dir: string): void {
    const now = new Date();
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), now, now);
    }
}

describe("preview of the example", { timeout: 600_000 }, () => {
    let registry: TestRegistry;
    let project: TestProject;
    let stack: Stack;

    before(async () => {
        registry = await startTestRegistry();
        const baseImage = pushBaseImageFixture(registry.address);
        project = createTestProject();
        fs.cpSync(path.join(repoRoot, "examples", "hello"), path.join(project.dir, "examples", "hello"), { recursive: true });
        process.env.KOS_REGISTRY = `${registry.address}/example`;
        // The copy is no git repository, so snapshot mode gives GoReleaser's placeholder version.
        const program = async () => {
            const images = await koImagesFromGoreleaser("examples/hello/.goreleaser.yaml", { baseDir: project.dir, defaultBaseImage: baseImage, snapshot: true });
            return Object.fromEntries(Object.entries(images).map(([id, image]) => [id, image.imageRef]));
        };
        stack = await project.openStack("example", program);
        await stack.up();
    });
    after(async () => {
        await stack?.workspace.removeStack("example", { force: true }).catch(() => undefined);
        project?.dispose();
        await registry?.stop();
    });

    it("no-op preview runs no ko and no go build", async () => {
        project.clearToolCalls();
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { same: 3 });
        const calls = project.toolCalls();
        assert.deepEqual(calls.filter((call) => call.startsWith("ko ") || call.startsWith("go build")), []);
        assert.ok(calls.some((call) => call.startsWith("go list")), "the fingerprint ran go list");
    });
});
