import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import type { ResolvedImageSpec } from "../spec/spec";
import { makeKoBuildArgs, type KoMode } from "./args";
import { renderKoConfig } from "./koConfig";
import { findExecutable } from "./path";

/** One `ko build` of one image. */
export interface KoBuildRequest {
    readonly spec: ResolvedImageSpec;
    /** Absolute directory that ko and `go build` run in. */
    readonly workingDir: string;
    readonly mode: KoMode;
    /** Environment to start from; default `process.env`. */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Receives short progress lines such as `Building ./cmd/app for linux/amd64`. */
    readonly onProgress?: (line: string) => void;
}

/** References that ko published. */
export interface KoBuildResult {
    /** `<name>@sha256:<hex>`: the index for several platforms, else the image. */
    readonly imageRef: string;
    readonly imageName: string;
    /** `sha256:<hex>`. */
    readonly digest: string;
    /** Digest references of the index's images, in index order; empty for a single image. */
    readonly childRefs: readonly string[];
}

/** Raised when ko or a tool it needs is missing, or when `ko build` fails. */
export class KoError extends Error {
    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = "KoError";
    }
}

/** Lines of ko's error output kept in an error message: enough for a compiler error, short enough to read. */
const maxErrorLines = 40;

/** Variables that would override the per-build `.ko.yaml` or GoReleaser's behaviour, so they are removed from ko's environment. */
const removedVariables = [
    "GOOS", // ko rejects --platform when GOOS, GOARCH or GOARM is set at all, even empty.
    "GOARCH",
    "GOARM",
    "KO_CONFIG_PATH",
    "KO_DOCKER_REPO",
    "KO_DEFAULTBASEIMAGE",
    "KO_DEFAULTPLATFORMS",
    "KO_DEFAULTENV",
    "KO_DEFAULTFLAGS",
    "KO_DEFAULTLDFLAGS",
    // GoReleaser sets creation times only from creation_time and ko_data_creation_time.
    "SOURCE_DATE_EPOCH",
    "KO_DATA_DATE_EPOCH",
];

/**
 * Runs `ko build` for one image and returns the published references. The `.ko.yaml` and the
 * image-refs file live in a private temporary folder that is removed afterwards.
 */
export async function runKoBuild(request: KoBuildRequest): Promise<KoBuildResult> {
    const { spec } = request;
    const baseEnv = request.env ?? process.env;
    const ko = findExecutable("ko", baseEnv.PATH);
    if (!ko) {
        throw new KoError("ko was not found on PATH: install it with `go install github.com/google/ko@v0.19.1` and put its folder on PATH");
    }
    const goBinary = baseEnv.KO_GO_PATH || "go";
    if (!findExecutable(goBinary, baseEnv.PATH)) {
        throw new KoError(`${goBinary} was not found on PATH: ko needs the Go toolchain; install Go and put its bin folder on PATH, or set KO_GO_PATH`);
    }
    await assertDirectory(request.workingDir);

    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "pulumi-kos-"));
    try {
        const koConfigPath = path.join(scratch, ".ko.yaml");
        const imageRefsPath = path.join(scratch, "image-refs");
        await fs.writeFile(koConfigPath, renderKoConfig(spec), { mode: 0o600 });

        const env: Record<string, string> = {};
        for (const [name, value] of Object.entries(baseEnv)) {
            if (value !== undefined && !removedVariables.includes(name)) env[name] = value;
        }
        env.KO_CONFIG_PATH = koConfigPath;
        env.KO_DOCKER_REPO = spec.repositories[0];
        if (spec.creationTime !== undefined) env.SOURCE_DATE_EPOCH = spec.creationTime.trim();
        if (spec.koDataCreationTime !== undefined) env.KO_DATA_DATE_EPOCH = spec.koDataCreationTime.trim();

        const args = makeKoBuildArgs(spec, imageRefsPath, request.mode);
        request.onProgress?.(`Building ${spec.main} for ${spec.platforms.join(", ")}`);
        await execKo(ko, args, { cwd: request.workingDir, env, onProgress: request.onProgress });
        return parseImageRefs(await fs.readFile(imageRefsPath, "utf8"));
    } finally {
        await fs.rm(scratch, { recursive: true, force: true });
    }
}

async function assertDirectory(directory: string): Promise<void> {
    const stat = await fs.stat(directory).catch(() => undefined);
    if (!stat?.isDirectory()) {
        throw new KoError(`working directory ${directory} does not exist: set workingDir to the folder of the Go module to build`);
    }
}

interface ExecOptions {
    readonly cwd: string;
    readonly env: Record<string, string>;
    readonly onProgress?: (line: string) => void;
}

async function execKo(ko: string, args: string[], options: ExecOptions): Promise<void> {
    const { execa } = await import("execa");
    const stderrLines: string[] = [];
    const subprocess = execa(ko, args, {
        cwd: options.cwd,
        env: options.env,
        extendEnv: false,
        reject: false,
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
    });
    subprocess.stderr?.setEncoding("utf8");
    let pending = "";
    subprocess.stderr?.on("data", (chunk: string) => {
        const text = pending + chunk;
        const lines = text.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
            stderrLines.push(line);
            const event = progressEvent(line);
            if (event) options.onProgress?.(event);
        }
    });
    const result = await subprocess;
    if (pending !== "") stderrLines.push(pending);

    if (result.failed) {
        const command = `ko ${args.join(" ")}`;
        const output = stderrLines.filter((line) => line.trim() !== "").slice(-maxErrorLines).join("\n");
        const cause = result.exitCode === undefined ? (result.originalMessage ?? result.shortMessage) : `exit code ${result.exitCode}`;
        throw new KoError(`${command} failed in ${options.cwd} (${cause})${hintFor(output)}\n${output}`);
    }
}

/** Picks ko's milestone log lines, dropping the timestamp; blob-level lines are left out. */
function progressEvent(line: string): string | undefined {
    const message = line.replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /, "");
    return /^(Using base|Publishing|Published|Tagging)\b/.test(message) ? message : undefined;
}

/** Adds the likely fix for failures whose ko message does not say it. */
function hintFor(output: string): string {
    if (/connection refused|no such host|dial tcp|i\/o timeout/.test(output)) {
        return ": the registry could not be reached; check that the repository's registry is running and that its address is right";
    }
    if (/unauthorized|UNAUTHORIZED|denied/.test(output)) {
        return ": the registry rejected the credentials; log in to it (docker login or ko login) or pass registry credentials";
    }
    return "";
}

/** Reads ko's `--image-refs` file: the published reference first, then each image of an index. */
export function parseImageRefs(text: string): KoBuildResult {
    const lines = [...new Set(text.split("\n").map((line) => line.trim()).filter((line) => line !== ""))];
    const first = lines[0];
    const match = first === undefined ? null : /^(.+?)(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?@(sha256:[0-9a-f]{64})$/.exec(first);
    if (!match) {
        throw new KoError(`ko did not report a digest reference (image refs: ${JSON.stringify(text.slice(0, 200))}); nothing was recorded`);
    }
    const [, imageName, digest] = match;
    return { imageRef: `${imageName}@${digest}`, imageName, digest, childRefs: lines.slice(1) };
}
