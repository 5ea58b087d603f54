// GoReleaser's template language (Go text/template with GoReleaser's variables and functions),
// implemented in TypeScript so that the provider evaluates kos fields as GoReleaser would.

import { toTemplateData, volatileVariables, type TemplateContext } from "./context";
import { execute } from "./evaluator";
import type { FunctionEnvironment } from "./functionTypes";
import type { TemplateTree } from "./nodes";
import { parse } from "./parser";
import { defaultFunctionRegistry } from "./registry";

export { collectGitContext, GitContextError, type GitContextOptions } from "./git";
export { currentRuntime, emptyTemplateContext, startTimeVariables, volatileVariables, type TemplateContext, type TemplateRuntime } from "./context";
export { TemplateError, type TemplateErrorPhase } from "./errors";
export { parseSemver, incrementSemver, SemverError, type SemanticVersion } from "./semver";
export { formatDateWithGoLayout, rfc3339Layout } from "./timeFormat";
export type { TemplateTree } from "./nodes";

/** Options of {@link evaluateTemplate} and {@link applyTemplate}. */
export interface EvaluateOptions {
    /** Directory that `abs`, `readFile` and the checksum functions resolve relative paths against. Default: the process's working directory. */
    readonly workingDir?: string;
    /** Clock of the `time` function, read at each call. Default: the system clock. */
    readonly clock?: () => Date;
}

/** Output of a template, with the variables and functions it used. */
export interface TemplateEvaluation {
    readonly value: string;
    /**
     * True when the output depends on the moment of evaluation because the template read `.Date`,
     * `.Timestamp` or `.Now` (alone or by printing or ranging over the whole data), or called
     * `time`. Such output changes between runs with no change to the sources.
     */
    readonly usedVolatile: boolean;
    /** Variables read, sorted: top-level names such as `Version`, and `Env.NAME` or `Runtime.Goos` for nested ones. */
    readonly usedKeys: readonly string[];
    /** Functions called, sorted. */
    readonly usedFunctions: readonly string[];
}

/**
 * Parses a template, checking its syntax, its function names and its variables. Throws a
 * {@link TemplateError} whose `line` and `column` point at the problem.
 */
export function parseTemplate(text: string): TemplateTree {
    return parse(text, defaultFunctionRegistry);
}

/**
 * Evaluates a GoReleaser template (its text, or a tree from {@link parseTemplate}) against a
 * context, as GoReleaser v2.17 would, and reports what it read. A missing map key is an error, as
 * with GoReleaser's missingkey=error. Throws a {@link TemplateError} naming the template, the
 * position and the reason.
 */
export function evaluateTemplate(template: string | TemplateTree, context: TemplateContext, options: EvaluateOptions = {}): TemplateEvaluation {
    const tree = typeof template === "string" ? parseTemplate(template) : template;
    const usedKeys = new Set<string>();
    const usedFunctions = new Set<string>();
    let calledVolatileFunction = false;

    const { data, env } = toTemplateData(context, (key) => usedKeys.add(key));
    const environment: FunctionEnvironment = {
        env,
        workingDir: options.workingDir ?? process.cwd(),
        clock: options.clock ?? (() => new Date()),
    };
    const value = execute(tree, data, defaultFunctionRegistry, environment, (definition) => {
        usedFunctions.add(definition.name);
        if (definition.volatile) calledVolatileFunction = true;
    });

    const keys = [...usedKeys].sort();
    const usedVolatile = calledVolatileFunction || keys.some((key) => volatileVariables.has(key));
    return { value, usedVolatile, usedKeys: keys, usedFunctions: [...usedFunctions].sort() };
}

/** Evaluates a GoReleaser template and returns its output. Throws a {@link TemplateError} when it fails. */
export function applyTemplate(template: string | TemplateTree, context: TemplateContext, options: EvaluateOptions = {}): string {
    return evaluateTemplate(template, context, options).value;
}
