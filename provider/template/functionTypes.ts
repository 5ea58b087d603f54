import type { GoMap, GoValue } from "./values";

/**
 * The Go type of a function parameter, which decides what an argument may be:
 * - `string`: a Go string, as GoReleaser's functions take;
 * - `stringList`: a `[]string`, such as the result of `list` or `split`;
 * - `stringMap`: a `map[string]string`, such as `.Env` or the result of `map`;
 * - `value`: any value but the `nil` literal (Go's reflect.Value parameters of `eq`, `len`, …);
 * - `any`: any value, `nil` included (Go's `interface{}` parameters of `print`, …).
 */
export type ParameterKind = "string" | "stringList" | "stringMap" | "value" | "any";

/** Context that a function may use besides its arguments. */
export interface FunctionEnvironment {
    /** The template's `.Env`; reads through it are recorded like `.Env.NAME`. */
    readonly env: GoMap;
    /** Directory that relative paths of `abs`, `readFile` and the checksum functions start from. */
    readonly workingDir: string;
    /** Current time, read by `time` at each call. */
    readonly clock: () => Date;
}

/** A function that templates can call by name. */
export interface TemplateFunction {
    readonly name: string;
    /** Fixed parameters, in order. */
    readonly parameters: readonly ParameterKind[];
    /** Kind of the trailing variadic parameter, when the function takes any number of further arguments. */
    readonly variadic?: ParameterKind;
    /**
     * True when the result depends on the moment of evaluation (the `time` function), so two
     * evaluations of the same template and context may differ.
     */
    readonly volatile?: boolean;
    /**
     * Computes the result from arguments already checked against the parameters. Throws an
     * {@link EvaluationFailure} (or any Error) to fail the template, and the evaluator names the
     * function and the template.
     */
    readonly call: (args: readonly GoValue[], environment: FunctionEnvironment) => GoValue;
}
