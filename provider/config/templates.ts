import { evaluateTemplate, startTimeVariables, TemplateError, type TemplateContext } from "../template";

/** Inputs whose values GoReleaser (v2.17, main branch) evaluates as templates, per item for lists and per value for maps. */
export const templatedInputs = [
    "baseImage",
    "repositories",
    "tags",
    "creationTime",
    "koDataCreationTime",
    "labels",
    "annotations",
    "env",
    "flags",
    "ldflags",
] as const;

/** A templated value, and the same value with run-time values pinned when it read any. */
export interface TemplatedValue<T> {
    readonly value: T;
    /** Present when the template read `.Date`, `.Timestamp`, `.Now` or `time`: the value with those fixed at the Unix epoch. */
    readonly stable?: T;
}

/** A template that failed, with the key path segments below the input that hold it. */
export class TemplateFailure extends Error {
    constructor(
        readonly path: readonly (string | number)[],
        readonly templateError: TemplateError,
    ) {
        super(templateError.message, { cause: templateError });
    }
}

/** The moment that run-time values are pinned to when computing stable values. */
const pinnedTime = new Date(0);

/**
 * Evaluates every template of one value (a string, a list of strings or a map of strings) and
 * keeps, when any template read a run-time value, the value those templates give with the clock
 * pinned. Comparing that stable value shows whether anything but the time changed.
 */
export function evaluateValue<T>(value: T, context: TemplateContext, workingDir: string): TemplatedValue<T> {
    const pinnedContext: TemplateContext = { ...context, ...startTimeVariables(pinnedTime) };
    let usedVolatile = false;

    const evaluate = (text: string, path: (string | number)[]): [string, string] => {
        try {
            const result = evaluateTemplate(text, context, { workingDir });
            if (!result.usedVolatile) return [result.value, result.value];
            usedVolatile = true;
            return [result.value, evaluateTemplate(text, pinnedContext, { workingDir, clock: () => pinnedTime }).value];
        } catch (error) {
            if (error instanceof TemplateError) throw new TemplateFailure(path, error);
            throw error;
        }
    };

    if (typeof value === "string") {
        const [actual, stable] = evaluate(value, []);
        return (usedVolatile ? { value: actual, stable } : { value: actual }) as TemplatedValue<T>;
    }
    if (Array.isArray(value)) {
        const pairs = value.map((item, index) => evaluate(String(item), [index]));
        const result = { value: pairs.map(([actual]) => actual), stable: pairs.map(([, stable]) => stable) };
        return (usedVolatile ? result : { value: result.value }) as TemplatedValue<T>;
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, string>).map(([key, item]) => [key, evaluate(String(item), [key])] as const);
        const actual = Object.fromEntries(entries.map(([key, [evaluated]]) => [key, evaluated]));
        const stable = Object.fromEntries(entries.map(([key, [, pinned]]) => [key, pinned]));
        return (usedVolatile ? { value: actual, stable } : { value: actual }) as TemplatedValue<T>;
    }
    return { value };
}

/** Reports whether a value (string, list or map) contains template syntax. */
export function hasTemplate(value: unknown): boolean {
    if (typeof value === "string") return value.includes("{{");
    if (Array.isArray(value)) return value.some(hasTemplate);
    if (value !== null && typeof value === "object") return Object.values(value).some(hasTemplate);
    return false;
}

/**
 * Expands `$NAME` and `${NAME}` from the environment, as Go's os.ExpandEnv does for GoReleaser's
 * `builds[].env`: an unset variable expands to the empty string.
 */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
    return text.replace(/\$(?:\{([^}]*)\}|([A-Za-z0-9_]+|[*#$@!?\-0-9]))/g, (_match, braced: string | undefined, bare: string | undefined) => env[braced ?? bare ?? ""] ?? "");
}
