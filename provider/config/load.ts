import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { collectGitContext, GitContextError, type TemplateContext } from "../template";
import { entryHasTemplates, finishEntry, inheritEntry, resolveBuilds, type KosEntry } from "./entries";
import { LoadContext } from "./loadContext";
import { ConfigError, showValue, type ConfigProblem } from "./problems";
import { makeGoreleaserSchema, type GoreleaserFile } from "./schema";
import { evaluateValue, TemplateFailure } from "./templates";

export type { KosEntry } from "./entries";

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
    /**
     * GoReleaser's `--snapshot`: templates get a snapshot version, `<version>-SNAPSHOT-<short commit>`,
     * and a repository without tags (or without git) is accepted. Default: false.
     */
    readonly snapshot?: boolean;
    /** Template variables to use instead of reading them from git; for tests and other callers that know them. */
    readonly templateContext?: TemplateContext;
    /** Clock for `.Date`, `.Timestamp`, `.Now` and `time`. Default: the system clock. */
    readonly clock?: () => Date;
}

/**
 * Loads the `kos` entries of a GoReleaser configuration and applies GoReleaser's defaults
 * (v2.17 `kos` pipe). The id comes from `project_name` and the build from the id. `main`,
 * `working_dir`, `ldflags`, `flags` and `env` are inherited from the build when empty. Then the
 * templates are evaluated, with git data from the repository of the file. Throws a
 * {@link ConfigError} that lists every problem at once.
 */
export async function loadGoreleaserConfig(file: string, options: LoadOptions = {}): Promise<GoreleaserKosConfig> {
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

    // Keys of the wrong type or unknown are reported, then left out, so that the checks below
    // still report every other problem of the file in the same run.
    const context = new LoadContext(file, document, lines);
    const config = parseLeavingOutInvalid(context, document.toJS() ?? {});

    const configDir = path.dirname(absoluteFile);
    const projectName = config.project_name ?? guessProjectName(configDir);
    const builds = resolveBuilds(config, projectName, env);
    const scopes = (config.kos ?? []).map((entry, index) => ({ entry, index, builds, projectName, configDir, baseDir, env }));
    const inherited = scopes.map((scope) => inheritEntry(context, scope));

    // Git is read only when a template needs it, so configurations without templates load anywhere.
    const needsTemplates = inherited.some(entryHasTemplates) || (config.env ?? []).some((entry) => entry.includes("{{"));
    const templateContext = needsTemplates ? await makeTemplateContext(context, config, { configDir, projectName, env, options }) : undefined;
    const entries = scopes.map((scope, index) => finishEntry(context, scope, inherited[index], templateContext));
    reportDuplicateIds(context, entries);

    if (context.problems.length > 0) throw new ConfigError(file, sortByPosition(context.problems));
    return { file, projectName, entries, warnings: context.warnings };
}

/** Orders problems as they appear in the file, so that a report reads top to bottom. */
function sortByPosition(problems: readonly ConfigProblem[]): ConfigProblem[] {
    return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Parses the file's data; every schema problem is reported, and the offending keys are dropped until the rest parses. */
function parseLeavingOutInvalid(context: LoadContext, data: unknown): GoreleaserFile {
    const schema = makeGoreleaserSchema();
    let remaining = structuredClone(data);
    // Each round drops at least one key, and a file has few levels, so a few rounds suffice.
    for (let round = 0; round < 10; round++) {
        const parsed = schema.safeParse(remaining);
        if (parsed.success) return parsed.data as GoreleaserFile;
        for (const issue of parsed.error.issues) {
            if (round === 0) context.addSchemaIssue(issue);
            remaining = withoutIssue(remaining, issue);
        }
    }
    return {};
}

/** Removes the value an issue is about: the unknown keys, or the invalid value's key. */
function withoutIssue(data: unknown, issue: z.core.$ZodIssue): unknown {
    const issuePath = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
    const keys = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issuePath, key]) : [issuePath];
    for (const keyPath of keys) {
        if (keyPath.length === 0) return {};
        let parent: unknown = data;
        for (const segment of keyPath.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[segment];
        if (parent !== null && typeof parent === "object") delete (parent as Record<string | number, unknown>)[keyPath[keyPath.length - 1]];
    }
    return data;
}

interface TemplateScope {
    readonly configDir: string;
    readonly projectName: string;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly options: LoadOptions;
}

/**
 * Builds GoReleaser's template variables: git data from the repository of the file (or the
 * caller's context), and `.Env` as the environment plus the templated top-level `env:` list.
 */
async function makeTemplateContext(context: LoadContext, config: GoreleaserFile, scope: TemplateScope): Promise<TemplateContext | undefined> {
    let templateContext = scope.options.templateContext;
    if (!templateContext) {
        try {
            templateContext = await collectGitContext(scope.configDir, {
                env: scope.env,
                snapshot: scope.options.snapshot ?? false,
                projectName: scope.projectName,
                clock: scope.options.clock,
            });
        } catch (error) {
            if (!(error instanceof GitContextError)) throw error;
            const hint = scope.options.snapshot ? "" : "; to publish without a release tag, use snapshot mode (the stack setting snapshot: true)";
            context.addProblem([], `cannot evaluate templates: ${error.message}${hint}`);
            return undefined;
        }
    }

    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...scope.env, ...templateContext.Env })) {
        if (value !== undefined) env[name] = value;
    }
    for (const [index, entry] of (config.env ?? []).entries()) {
        try {
            const value = evaluateValue(entry, { ...templateContext, Env: env }, scope.configDir).value;
            const equals = value.indexOf("=");
            if (equals > 0) env[value.slice(0, equals)] = value.slice(equals + 1);
            else context.addProblem(["env", index], `must have the form NAME=value (got ${showValue(value)})`);
        } catch (error) {
            if (!(error instanceof TemplateFailure)) throw error;
            context.addProblem(["env", index], `invalid template: ${error.templateError.message}`);
        }
    }
    return { ...templateContext, Env: env };
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

function reportDuplicateIds(context: LoadContext, entries: readonly KosEntry[]): void {
    const counts = new Map<string, number[]>();
    entries.forEach((entry, index) => counts.set(entry.id, [...(counts.get(entry.id) ?? []), index]));
    for (const [id, indexes] of counts) {
        if (indexes.length > 1) {
            context.addProblem(["kos", indexes[1]], `found ${indexes.length} kos with the ID '${id}': give each entry its own id`);
        }
    }
}
