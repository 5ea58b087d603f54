import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { fieldForInput, imageFields } from "../spec/fields";
import type { KoImageSpec } from "../spec/spec";
import { validateImageSpec } from "../spec/validate";
import { locate } from "./locate";
import { ConfigError, formatKeyPath, showValue, type ConfigProblem } from "./problems";
import { makeGoreleaserSchema, type BuildInput, type GoreleaserFile, type KosEntryInput } from "./schema";

/** One `kos` entry after GoReleaser's defaults and build inheritance. */
export interface KosEntry {
    /** The entry's `id`: the Pulumi resource name. */
    readonly id: string;
    /** The `builds` entry it inherits from. */
    readonly build: string;
    /** Whether `disable` turns the entry off; a disabled entry publishes nothing. */
    readonly disabled: boolean;
    /** The image inputs; `workingDir` is relative to the loader's `baseDir`. */
    readonly spec: KoImageSpec;
}

/** The kos entries of one GoReleaser configuration file. */
export interface GoreleaserKosConfig {
    /** The file as given to the loader. */
    readonly file: string;
    readonly projectName: string;
    readonly entries: readonly KosEntry[];
    /** Deprecations and other notes, each prefixed with `file:line:column`. */
    readonly warnings: readonly string[];
}

/** Options of {@link loadGoreleaserConfig}. */
export interface LoadOptions {
    /** Directory that `workingDir` in the results is relative to. Default: the process's working directory. */
    readonly baseDir?: string;
    /** Environment that GoReleaser would see; `KO_DOCKER_REPO` replaces every entry's repositories. Default: `process.env`. */
    readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Loads the `kos` entries of a GoReleaser configuration and applies GoReleaser's defaults
 * (v2.17 `kos` pipe): id from `project_name`, build from id, `main`, `working_dir`, `ldflags`,
 * `flags` and `env` inherited from the build when empty. Throws a {@link ConfigError} that lists
 * every problem of the file at once.
 */
export function loadGoreleaserConfig(file: string, options: LoadOptions = {}): GoreleaserKosConfig {
    const baseDir = path.resolve(options.baseDir ?? process.cwd());
    const env = options.env ?? process.env;
    const absoluteFile = path.resolve(baseDir, file);
    const text = readConfigFile(file, absoluteFile);

    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    if (document.errors.length > 0) {
        throw new ConfigError(
            file,
            document.errors.map((error) => ({
                file,
                line: error.linePos?.[0].line ?? 0,
                column: error.linePos?.[0].col ?? 0,
                keyPath: "",
                message: `invalid YAML: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
            })),
        );
    }

    const context = new LoadContext(file, document, lines);
    const parsed = makeGoreleaserSchema().safeParse(document.toJS() ?? {});
    if (!parsed.success) {
        for (const issue of parsed.error.issues) context.addSchemaIssue(issue);
        throw new ConfigError(file, context.problems);
    }

    const config = parsed.data as GoreleaserFile;
    const configDir = path.dirname(absoluteFile);
    const projectName = config.project_name ?? guessProjectName(configDir);
    const builds = defaultBuilds(config, projectName);
    const entries = (config.kos ?? []).map((entry, index) =>
        resolveEntry(context, { entry, index, builds, projectName, configDir, baseDir, env }),
    );
    reportDuplicateIds(context, entries);

    if (context.problems.length > 0) throw new ConfigError(file, context.problems);
    return { file, projectName, entries, warnings: context.warnings };
}

function readConfigFile(file: string, absoluteFile: string): string {
    try {
        return fs.readFileSync(absoluteFile, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const message =
            code === "ENOENT"
                ? `file not found at ${absoluteFile}: check the path, or create the file with a kos section`
                : `cannot read ${absoluteFile}: ${(error as Error).message}`;
        throw new ConfigError(file, [{ file, line: 0, column: 0, keyPath: "", message }]);
    }
}

/** Collects problems and warnings with their positions in one file. */
class LoadContext {
    readonly problems: ConfigProblem[] = [];
    readonly warnings: string[] = [];

    constructor(
        private readonly file: string,
        private readonly document: Document,
        private readonly lines: LineCounter,
    ) {}

    addProblem(keyPath: readonly (string | number)[], message: string, options: { atKey?: boolean } = {}): void {
        const { line, column } = locate(this.document, this.lines, keyPath, options);
        this.problems.push({ file: this.file, line, column, keyPath: formatKeyPath(keyPath), message });
    }

    addWarning(keyPath: readonly (string | number)[], message: string): void {
        const { line, column } = locate(this.document, this.lines, keyPath);
        this.warnings.push(`${this.file}:${line}:${column}: ${formatKeyPath(keyPath)}: ${message}`);
    }

    addSchemaIssue(issue: z.core.$ZodIssue): void {
        const issuePath = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
        if (issue.code === "unrecognized_keys") {
            const accepted = issuePath[0] === "kos" ? `; accepted keys: ${acceptedKosKeys().join(", ")}` : "";
            for (const key of issue.keys) {
                this.addProblem([...issuePath, key], `unknown key${accepted}`, { atKey: true });
            }
            return;
        }
        const value = valueAt(this.document.toJS(), issuePath);
        const shown = value === undefined ? "" : ` (got ${showValue(value)})`;
        this.addProblem(issuePath, `${describeIssue(issue)}${shown}`);
    }
}

function acceptedKosKeys(): string[] {
    return ["id", "build", ...imageFields.map((field) => field.kosKey), "repository", "local_domain", "disable"];
}

function describeIssue(issue: z.core.$ZodIssue): string {
    if (issue.code === "invalid_type") return `invalid type: expected ${issue.expected}`;
    if (issue.code === "invalid_union") return "invalid type: expected a string or a list of strings";
    return issue.message;
}

function valueAt(root: unknown, keyPath: readonly (string | number)[]): unknown {
    let value = root;
    for (const segment of keyPath) {
        if (value === null || typeof value !== "object") return undefined;
        value = (value as Record<string | number, unknown>)[segment];
    }
    return value;
}

/** GoReleaser's project name when `project_name` is absent: the module's last path element, else the directory. */
function guessProjectName(configDir: string): string {
    try {
        const goMod = fs.readFileSync(path.join(configDir, "go.mod"), "utf8");
        const module = /^module\s+(\S+)/m.exec(goMod)?.[1];
        if (module) return module.split("/").pop() ?? module;
    } catch {
        // No go.mod next to the config: fall back to the directory name.
    }
    return path.basename(configDir);
}

/** A build as kos entries inherit it, with its position in `builds` (undefined for the implicit default build). */
interface ResolvedBuild {
    readonly index?: number;
    readonly id: string;
    readonly build: BuildInput;
}

/** GoReleaser creates one default build, with id `project_name`, when `builds` is absent. */
function defaultBuilds(config: GoreleaserFile, projectName: string): ResolvedBuild[] {
    if (!config.builds || config.builds.length === 0) {
        return [{ id: projectName, build: {} }];
    }
    return config.builds.map((build, index) => ({ index, id: build.id ?? projectName, build }));
}

interface EntryScope {
    readonly entry: KosEntryInput;
    readonly index: number;
    readonly builds: readonly ResolvedBuild[];
    readonly projectName: string;
    readonly configDir: string;
    readonly baseDir: string;
    readonly env: Readonly<Record<string, string | undefined>>;
}

function resolveEntry(context: LoadContext, scope: EntryScope): KosEntry {
    const { entry, index } = scope;
    const at = (...keys: (string | number)[]) => ["kos", index, ...keys];
    const id = entry.id || scope.projectName;
    const buildId = entry.build || id;

    // Inherit from the build only what the entry leaves empty, as GoReleaser does.
    const build = scope.builds.find((candidate) => candidate.id === buildId);
    if (!build) {
        const known = scope.builds.map((candidate) => candidate.id).join(", ");
        context.addProblem(entry.build ? at("build") : at(), `no builds with id "${buildId}"; defined build ids: ${known}`);
    }
    const origin = new Map<string, (string | number)[]>();
    const inherit = <T>(own: T | undefined, inherited: T | undefined, input: string, buildKey: string): T | undefined => {
        if (!isEmpty(own)) return own;
        if (!isEmpty(inherited) && build?.index !== undefined) origin.set(input, ["builds", build.index, buildKey]);
        return isEmpty(inherited) ? own : inherited;
    };
    const main = inherit(entry.main, build?.build.main, "main", "main");
    const workingDir = inherit(entry.working_dir, build?.build.dir, "workingDir", "dir");
    const ldflags = inherit(entry.ldflags, toList(build?.build.ldflags, false), "ldflags", "ldflags");
    const flags = inherit(entry.flags, toList(build?.build.flags, true), "flags", "flags");
    const env = inherit(entry.env, build?.build.env, "env", "env");

    // Deprecated keys, rewritten as GoReleaser v2.17 does, with its notices.
    let sbom = entry.sbom;
    if (sbom === "cyclonedx" || sbom === "go.version-m") {
        context.addWarning(at("sbom"), `"${sbom}" is deprecated because ko no longer produces it; using "none". Use "spdx" or "none"`);
        sbom = "none";
    }
    let repositories = [...(entry.repositories ?? [])];
    if (entry.repository) {
        context.addWarning(at("repository"), "is deprecated; move the value to repositories");
        repositories.push(entry.repository);
    }
    const koDockerRepo = scope.env.KO_DOCKER_REPO;
    if (koDockerRepo) repositories = [koDockerRepo];

    const spec: KoImageSpec = {
        ...Object.fromEntries(imageFields.map((field) => [field.input, entry[field.kosKey as keyof KosEntryInput]])),
        main,
        workingDir: relativeWorkingDir(scope, workingDir),
        ldflags,
        flags,
        env,
        sbom,
        repositories,
    };

    for (const problem of validateImageSpec(spec)) {
        const [input, ...rest] = problem.path;
        const inheritedFrom = origin.get(String(input));
        const kosKey = fieldForInput(String(input))?.kosKey ?? String(input);
        const keyPath = inheritedFrom ? [...inheritedFrom, ...rest] : at(kosKey, ...rest);
        const value = problem.value === undefined ? "" : ` (got ${showValue(problem.value)})`;
        const where = inheritedFrom ? ` (inherited by kos[${index}].${kosKey})` : "";
        context.addProblem(keyPath, `${problem.message}${value}${where}`);
    }
    if (typeof entry.disable === "string" && entry.disable.includes("{{")) {
        context.addProblem(at("disable"), "uses a GoReleaser template, which this version does not evaluate yet: write true or false");
    }

    return { id, build: buildId, disabled: entry.disable === true || String(entry.disable).trim().toLowerCase() === "true", spec };
}

/** Makes `working_dir`, relative to the config file's directory, relative to the base directory instead. */
function relativeWorkingDir(scope: EntryScope, workingDir: string | undefined): string {
    const absolute = path.resolve(scope.configDir, workingDir || ".");
    const relative = path.relative(scope.baseDir, absolute).split(path.sep).join("/");
    return relative === "" ? "." : relative;
}

/** Normalises a build's `ldflags` (one string is one flag) or `flags` (one string is split on white space). */
function toList(value: string | string[] | undefined, splitOnSpace: boolean): string[] | undefined {
    if (value === undefined || Array.isArray(value)) return value;
    return splitOnSpace ? value.split(/\s+/).filter((flag) => flag !== "") : [value];
}

function isEmpty(value: unknown): boolean {
    return value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function reportDuplicateIds(context: LoadContext, entries: readonly KosEntry[]): void {
    const counts = new Map<string, number[]>();
    entries.forEach((entry, index) => counts.set(entry.id, [...(counts.get(entry.id) ?? []), index]));
    for (const [id, indexes] of counts) {
        if (indexes.length > 1) {
            context.addProblem(["kos", indexes[1]], `found ${indexes.length} kos with the ID '${id}': give each entry its own id`);
        }
    }
}
