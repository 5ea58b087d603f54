// Go's text/template built-in functions. `and` and `or` appear here for the parser and for their
// arity, but the evaluator runs them itself because they evaluate their arguments lazily.

import { EvaluationFailure } from "./errors";
import { escapeHtml, escapeJavaScript, escapeUrlQuery } from "./escape";
import type { TemplateFunction } from "./functionTypes";
import { sprint, sprintf, sprintln } from "./printf";
import { byteLength, compareGoStrings, GoMap, GoStruct, GoTime, goTypeName, isTrue, type GoValue } from "./values";

/** Names of the built-ins that short-circuit: the evaluator evaluates their arguments one by one. */
export const shortCircuitFunctions = new Set(["and", "or"]);

/** Go built-ins recognised only to be rejected, with the reason. */
export const unsupportedBuiltins: ReadonlyMap<string, string> = new Map([
    ["call", "the call function is not supported: GoReleaser's template data has no function values to call"],
]);

type BasicKind = "bool" | "int" | "float" | "string";

function basicKind(value: GoValue): BasicKind | undefined {
    switch (typeof value) {
        case "boolean":
            return "bool";
        case "bigint":
            return "int";
        case "number":
            return "float";
        case "string":
            return "string";
        default:
            return undefined;
    }
}

function incompatible(left: GoValue, right: GoValue): EvaluationFailure {
    return new EvaluationFailure(
        `incompatible types for comparison: ${goTypeName(left)} and ${goTypeName(right)}; compare values of one type, such as a number with a number without quotes`,
    );
}

/** Go's == on two template values, as text/template's eq applies it. */
function equals(left: GoValue, right: GoValue): boolean {
    const leftKind = basicKind(left);
    const rightKind = basicKind(right);
    if (leftKind !== rightKind) {
        if (left !== null && right !== null) throw incompatible(left, right);
        return false;
    }
    if (leftKind !== undefined) return left === right;
    if (left === null || right === null) return left === right;
    if (Array.isArray(left) || left instanceof GoMap) {
        throw new EvaluationFailure(`non-comparable type ${goTypeName(left)}: lists and maps cannot be compared with eq`);
    }
    if (left instanceof GoTime && right instanceof GoTime) return left.epochNanoseconds === right.epochNanoseconds;
    if (left instanceof GoStruct && right instanceof GoStruct) {
        if (left.typeName !== right.typeName) throw incompatible(left, right);
        const rightFields = new Map(right.orderedFields());
        return left.orderedFields().every(([name, value]) => equals(value, rightFields.get(name) ?? null));
    }
    throw incompatible(left, right);
}

/** Go's < on two template values, as text/template's lt applies it. */
function lessThan(left: GoValue, right: GoValue): boolean {
    const leftKind = basicKind(left);
    const rightKind = basicKind(right);
    if (leftKind === undefined || rightKind === undefined || leftKind === "bool" || rightKind === "bool") {
        throw new EvaluationFailure(`invalid type for comparison: lt, le, gt and ge compare numbers or strings, not ${goTypeName(leftKind === undefined || leftKind === "bool" ? left : right)}`);
    }
    if (leftKind !== rightKind) throw incompatible(left, right);
    if (leftKind === "string") return compareGoStrings(left as string, right as string) < 0;
    return (left as bigint | number) < (right as bigint | number);
}

function lengthOf(value: GoValue): bigint {
    if (typeof value === "string") return BigInt(byteLength(value));
    if (Array.isArray(value)) return BigInt(value.length);
    if (value instanceof GoMap) return BigInt(value.size);
    throw new EvaluationFailure(`len of type ${goTypeName(value)}: len takes a string, a list or a map`);
}

/** Converts an index argument of `index` or `slice` to a position, checking it against `limit`. */
function position(index: GoValue, limit: number): number {
    if (index === null) throw new EvaluationFailure("cannot index slice/array with nil");
    if (typeof index !== "bigint") throw new EvaluationFailure(`cannot index slice/array with type ${goTypeName(index)}: use an integer`);
    if (index < 0n || index > BigInt(limit)) throw new EvaluationFailure(`index out of range: ${index}`);
    return Number(index);
}

function indexValue(item: GoValue, indexes: readonly GoValue[]): GoValue {
    if (item === null) throw new EvaluationFailure("index of untyped nil");
    let current: GoValue = item;
    for (const index of indexes) {
        if (current === null) throw new EvaluationFailure("index of nil pointer");
        if (typeof current === "string" || Array.isArray(current)) {
            const bytesOrItems: Buffer | readonly GoValue[] = typeof current === "string" ? Buffer.from(current, "utf8") : current;
            const at = position(index, bytesOrItems.length);
            if (at >= bytesOrItems.length) throw new EvaluationFailure(`index out of range: ${at}`);
            // Indexing a string gives a byte, which Go prints as a number.
            current = Buffer.isBuffer(bytesOrItems) ? BigInt(bytesOrItems[at]) : bytesOrItems[at];
        } else if (current instanceof GoMap) {
            if (typeof index !== "string") {
                throw new EvaluationFailure(`value has type ${goTypeName(index)}; should be string: map keys are strings`);
            }
            const value = current.get(index);
            current = value === undefined ? zeroElement(current) : value;
        } else {
            throw new EvaluationFailure(`can't index item of type ${goTypeName(current)}`);
        }
    }
    return current;
}

/** Returns the zero value of a map's elements: "" for string maps, nil for GoReleaser's map of any values. */
function zeroElement(map: GoMap): GoValue {
    return map.typeName.endsWith("interface {}") ? null : "";
}

function sliceValue(item: GoValue, indexes: readonly GoValue[]): GoValue {
    if (item === null) throw new EvaluationFailure("slice of untyped nil");
    if (indexes.length > 3) throw new EvaluationFailure(`too many slice indexes: ${indexes.length}`);
    if (typeof item !== "string" && !Array.isArray(item)) {
        throw new EvaluationFailure(`can't slice item of type ${goTypeName(item)}: slice takes a string or a list`);
    }
    if (typeof item === "string" && indexes.length === 3) throw new EvaluationFailure("cannot 3-index slice a string");
    const bytesOrItems = typeof item === "string" ? Buffer.from(item, "utf8") : item;
    const bounds = [0, bytesOrItems.length];
    indexes.forEach((index, at) => (bounds[at] = position(index, bytesOrItems.length)));
    if (bounds[0] > bounds[1]) throw new EvaluationFailure(`invalid slice index: ${bounds[0]} > ${bounds[1]}`);
    if (indexes.length === 3 && bounds[1] > bounds[2]) throw new EvaluationFailure(`invalid slice index: ${bounds[1]} > ${bounds[2]}`);
    if (typeof item === "string") return (bytesOrItems as Buffer).subarray(bounds[0], bounds[1]).toString("utf8");
    return (bytesOrItems as readonly GoValue[]).slice(bounds[0], bounds[1]);
}

/** Returns the text that html, js and urlquery escape: one string as is, else the arguments as fmt.Sprint prints them. */
function escaperInput(args: readonly GoValue[]): string {
    return args.length === 1 && typeof args[0] === "string" ? args[0] : sprint(args);
}

/** Go's text/template built-in functions. */
export const goBuiltinFunctions: readonly TemplateFunction[] = [
    { name: "and", parameters: ["value"], variadic: "value", call: (args) => args.find((arg) => !isTrue(arg)) ?? args[args.length - 1] },
    { name: "or", parameters: ["value"], variadic: "value", call: (args) => args.find((arg) => isTrue(arg)) ?? args[args.length - 1] },
    { name: "not", parameters: ["value"], call: ([value]) => !isTrue(value) },
    {
        name: "eq",
        parameters: ["value"],
        variadic: "value",
        call: ([first, ...others]) => {
            if (others.length === 0) throw new EvaluationFailure("missing argument for comparison: eq needs at least two values");
            return others.some((other) => equals(first, other));
        },
    },
    { name: "ne", parameters: ["value", "value"], call: ([left, right]) => !equals(left, right) },
    { name: "lt", parameters: ["value", "value"], call: ([left, right]) => lessThan(left, right) },
    { name: "le", parameters: ["value", "value"], call: ([left, right]) => lessThan(left, right) || equals(left, right) },
    { name: "gt", parameters: ["value", "value"], call: ([left, right]) => !(lessThan(left, right) || equals(left, right)) },
    { name: "ge", parameters: ["value", "value"], call: ([left, right]) => !lessThan(left, right) },
    { name: "len", parameters: ["value"], call: ([value]) => lengthOf(value) },
    { name: "index", parameters: ["value"], variadic: "value", call: ([item, ...indexes]) => indexValue(item, indexes) },
    { name: "slice", parameters: ["value"], variadic: "value", call: ([item, ...indexes]) => sliceValue(item, indexes) },
    { name: "print", parameters: [], variadic: "any", call: (args) => sprint(args) },
    { name: "printf", parameters: ["string"], variadic: "any", call: ([format, ...args]) => sprintf(format as string, args) },
    { name: "println", parameters: [], variadic: "any", call: (args) => sprintln(args) },
    { name: "html", parameters: [], variadic: "any", call: (args) => escapeHtml(escaperInput(args)) },
    { name: "js", parameters: [], variadic: "any", call: (args) => escapeJavaScript(escaperInput(args)) },
    { name: "urlquery", parameters: [], variadic: "any", call: (args) => escapeUrlQuery(escaperInput(args)) },
];
