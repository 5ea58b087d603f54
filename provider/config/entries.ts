import * as path from "node:path";
import type { TemplateContext } from "../template";
import { fieldForInput, imageFields } from "../spec/fields";
import type { KoImageSpec } from "../spec/spec";
import { validateImageSpec } from "../spec/validate";
import type { LoadContext } from "./loadContext";
import { showValue } from "./problems";
import type { BuildInput, GoreleaserFile, KosEntryInput } from "./schema";
import { evaluateValue, expandEnv, hasTemplate, templatedInputs, TemplateFailure } from "./templates";

/** One `kos` entry after GoReleaser's defaults, build inheritance and templates. */
export interface KosEntry {
    /** The entry's `id`: the Pulumi resource name. */
    readonly id: string;
    /** The `builds` entry it inherits from. */
    readonly build: string;
    /** Whether `disable` turns the entry off; a disabled entry publishes nothing. */
    readonly disabled: boolean;
    /** The image inputs; `workingDir` and `sbomDirectory` are relative to the loader's `baseDir`. */
    readonly spec: KoImageSpec;
    /**
     * For inputs whose templates read a run-time value (`.Date`, `.Timestamp`, `.Now`, `time`),
     * the input evaluated with that value fixed, so that a new date alone is not a change.
     */
    readonly stableValues?: Record<string, unknown>;
}

/** GoReleaser's Go builder ldflags for a build that sets none (v2.17 `internal/builders/golang`). */
export const defaultBuildLdflags = "-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}} -X main.builtBy=goreleaser";

/** A build as kos entries inherit it, with its position in `builds` (undefined for the implicit default build). */
export interface ResolvedBuild {
    readonly index?: number;
    readonly id: string;
    readonly build: BuildInput;
}

/**
 * Applies GoReleaser's build defaults: one build with id `project_name` when `builds` is absent,
 * the default ldflags for builds without any, and `$VAR` expansion of build env values.
 */
export function resolveBuilds(config: GoreleaserFile, projectName: string, env: Readonly<Record<string, string | undefined>>): ResolvedBuild[] {
    const builds: { index?: number; build: BuildInput }[] =
        config.builds && config.builds.length > 0 ? config.builds.map((build, index) => ({ index, build })) : [{ build: {} }];
    return builds.map(({ index, build }) => ({
        index,
        id: build.id ?? projectName,
        build: {
            ...build,
            ldflags: isEmpty(build.ldflags) ? [defaultBuildLdflags] : build.ldflags,
            env: build.env?.map((entry) => expandEnv(entry, env)),
        },
    }));
}

/** The inputs of one entry's resolution: the entry, the builds and the folders its paths refer to. */
export interface EntryScope {
    readonly entry: KosEntryInput;
    readonly index: number;
    readonly builds: readonly ResolvedBuild[];
    readonly projectName: string;
    readonly configDir: string;
    readonly baseDir: string;
    readonly env: Readonly<Record<string, string | undefined>>;
}

/** An entry after inheritance, before templates: what the loader needs to evaluate and check it. */
export interface InheritedEntry {
    readonly id: string;
    readonly build: string;
    readonly spec: KoImageSpec;
    readonly disable?: string | boolean;
    /** Inputs taken from the build, with the key path of the build's value. */
    readonly origin: ReadonlyMap<string, (string | number)[]>;
}

/** Applies GoReleaser's per-entry defaults (v2.17 `kos` pipe): id, build, inheritance, deprecations. */
export function inheritEntry(context: LoadContext, scope: EntryScope): InheritedEntry {
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
        workingDir: relativePath(scope, workingDir || "."),
        sbomDirectory: entry.sbom_directory === undefined ? undefined : relativePath(scope, entry.sbom_directory),
        ldflags,
        flags,
        env,
        sbom,
        repositories,
    };
    return { id, build: buildId, spec, disable: entry.disable, origin };
}

/** Reports whether an inherited entry has any template to evaluate. */
export function entryHasTemplates(entry: InheritedEntry): boolean {
    return hasTemplate(entry.disable) || templatedInputs.some((input) => hasTemplate(entry.spec[input]));
}

/**
 * Evaluates the entry's templates (when a context is given), then checks every value. Problems
 * go to the context, located at the entry's key or, for inherited values, at the build's.
 */
export function finishEntry(context: LoadContext, scope: EntryScope, inherited: InheritedEntry, templateContext: TemplateContext | undefined): KosEntry {
    const { index } = scope;
    const locateInput = (input: string, rest: readonly (string | number)[]): (string | number)[] => {
        const inheritedFrom = inherited.origin.get(input);
        const kosKey = fieldForInput(input)?.kosKey ?? input;
        return inheritedFrom ? [...inheritedFrom, ...rest] : ["kos", index, kosKey, ...rest];
    };

    let spec: Record<string, unknown> = { ...inherited.spec };
    const stableValues: Record<string, unknown> = {};
    const failedInputs = new Set<string>();
    let disabled = inherited.disable === true || String(inherited.disable ?? "").trim().toLowerCase() === "true";
    if (templateContext) {
        for (const input of templatedInputs) {
            if (spec[input] === undefined) continue;
            try {
                const result = evaluateValue(spec[input], templateContext, scope.configDir);
                spec[input] = result.value;
                if (result.stable !== undefined) stableValues[input] = result.stable;
            } catch (error) {
                if (!(error instanceof TemplateFailure)) throw error;
                context.addProblem(locateInput(input, error.path), `invalid template: ${error.templateError.message}`);
                failedInputs.add(input);
            }
        }
        if (typeof inherited.disable === "string") {
            try {
                // GoReleaser's tmpl.Bool: the trimmed, lower-cased output must be "true".
                disabled = evaluateValue(inherited.disable, templateContext, scope.configDir).value.trim().toLowerCase() === "true";
            } catch (error) {
                if (!(error instanceof TemplateFailure)) throw error;
                context.addProblem(["kos", index, "disable"], `invalid template: ${error.templateError.message}`);
            }
        }
    }
    // GoReleaser drops repositories that template to nothing, as it does for tags.
    if (Array.isArray(spec.repositories)) spec = { ...spec, repositories: spec.repositories.filter((repository: string) => repository.trim() !== "") };

    for (const problem of validateImageSpec(spec as KoImageSpec)) {
        const [input, ...rest] = problem.path;
        // A value whose template failed is reported once, as a template problem.
        if (failedInputs.has(String(input))) continue;
        const value = problem.value === undefined ? "" : ` (got ${showValue(problem.value)})`;
        const inheritedFrom = inherited.origin.get(String(input));
        const where = inheritedFrom ? ` (inherited by kos[${index}].${fieldForInput(String(input))?.kosKey ?? String(input)})` : "";
        context.addProblem(locateInput(String(input), rest), `${problem.message}${value}${where}`);
    }

    const hasStable = Object.keys(stableValues).length > 0;
    return { id: inherited.id, build: inherited.build, disabled, spec: spec as KoImageSpec, ...(hasStable ? { stableValues } : {}) };
}

/** Makes a path relative to the config file's directory relative to the base directory instead. */
function relativePath(scope: EntryScope, value: string): string {
    const absolute = path.resolve(scope.configDir, value);
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
