import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { openStack } from "../../cli/stack";
import { findExecutable } from "../../provider/ko/path";
import { repoRoot } from "./paths";

/**
 * A throw-away Pulumi project: a folder with `Pulumi.yaml`, the files a test writes, and a
 * `.tools/bin`. Its `pulumi`, `node` and provider launcher are this repository's. Its `ko` and
 * `go` are wrappers that log each call before running the real tools. The Automation API puts
 * that `bin` first on PATH, so the provider and ko run the wrappers.
 */
export interface TestProject {
    readonly dir: string;
    readonly backendUrl: string;
    /** Calls of ko and go so far, one `ko <args>` or `go <args>` line each. */
    toolCalls(): string[];
    /** Forgets the calls logged so far. */
    clearToolCalls(): void;
    /** Opens a stack of this project with an inline program. */
    openStack(stackName: string, program: PulumiFn, config?: Record<string, string>): Promise<Stack>;
    /** Opens a stack of the same backend for a copy of this project in another folder. */
    openStackIn(projectDir: string, stackName: string, program: PulumiFn): Promise<Stack>;
    /** Makes the `go` wrapper report `go env` GOVERSION with a suffix, as a newer toolchain would; "" restores it. */
    setGoVersionSuffix(suffix: string): void;
    dispose(): void;
}

/** Creates a test project with the given files (paths relative to the project folder). */
export function createTestProject(files: Record<string, string> = {}): TestProject {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-project-"));
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-backend-"));
    const callLog = path.join(backendDir, "tool-calls.log");
    writeFiles(dir, { "Pulumi.yaml": "name: kos-test\nruntime: nodejs\n", ...files });

    const bin = path.join(dir, ".tools", "bin");
    fs.mkdirSync(bin, { recursive: true });
    const toolsBin = path.join(repoRoot, ".tools", "bin");
    for (const name of ["pulumi", "node", "pulumi-resource-pulumi-nodejs"]) {
        fs.symlinkSync(fs.realpathSync(path.join(toolsBin, name)), path.join(bin, name));
    }
    const realGo = findExecutable("go", process.env.PATH);
    if (!realGo) throw new Error("go was not found on PATH");
    writeWrapper(path.join(bin, "ko"), "ko", path.join(toolsBin, "ko"), callLog);
    writeWrapper(path.join(bin, "go"), "go", realGo, callLog);
    const setGoVersionSuffix = (suffix: string) => writeWrapper(path.join(bin, "go"), "go", realGo, callLog, suffix);
    // The provider resolves @pulumi/pulumi from the project folder.
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));

    const backendUrl = `file://${backendDir}`;
    return {
        dir,
        backendUrl,
        toolCalls: () => (fs.existsSync(callLog) ? fs.readFileSync(callLog, "utf8").split("\n").filter((line) => line !== "") : []),
        clearToolCalls: () => fs.rmSync(callLog, { force: true }),
        openStack: (stackName, program, config) => openStack({ projectDir: dir, stackName, program, backendUrl, config }),
        openStackIn: (projectDir, stackName, program) => openStack({ projectDir, stackName, program, backendUrl }),
        setGoVersionSuffix,
        dispose() {
            fs.rmSync(dir, { recursive: true, force: true });
            fs.rmSync(backendDir, { recursive: true, force: true });
        },
    };
}

/** Writes files below a folder, creating subfolders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
}

function writeWrapper(file: string, name: string, target: string, callLog: string, goVersionSuffix = ""): void {
    const log = `printf '%s\\n' "${name} $*" >> '${callLog}'\n`;
    const fakeVersion = goVersionSuffix === "" ? "" : `if [ "$1" = env ]; then '${target}' "$@" | sed 's/"GOVERSION": "\\([^"]*\\)"/"GOVERSION": "\\1${goVersionSuffix}"/'; exit 0; fi\n`;
    fs.writeFileSync(file, `#!/bin/sh\n${log}${fakeVersion}exec '${target}' "$@"\n`, { mode: 0o755 });
}
