// Go's fmt printing for template values: Sprint, Sprintln, Sprintf and the default `%v` form that
// an action such as {{ .Major }} prints.

import { EvaluationFailure } from "./errors";
import { formatGoFloat } from "./floatFormat";
import { isPrintable, quoteGoRune, quoteGoString } from "./quote";
import { formatGoTime, goTimeStringLayout } from "./timeFormat";
import { GoMap, GoStruct, GoTime, goTypeName, type GoValue } from "./values";

/** Flags, width and precision of one printf verb. */
interface FormatSpec {
    verb: string;
    plus: boolean;
    minus: boolean;
    sharp: boolean;
    space: boolean;
    zero: boolean;
    /** `%+v`: struct field names. */
    plusV: boolean;
    /** `%#v`: Go syntax. */
    sharpV: boolean;
    width?: number;
    precision?: number;
}

function plainSpec(verb: string): FormatSpec {
    return { verb, plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };
}

/** Formats values as Go's fmt.Sprint: `%v` for each, with a space between two operands when neither is a string. */
export function sprint(values: readonly GoValue[]): string {
    let text = "";
    values.forEach((value, index) => {
        const isString = typeof value === "string";
        if (index > 0 && !isString && typeof values[index - 1] !== "string") text += " ";
        text += formatValue(value, plainSpec("v"));
    });
    return text;
}

/** Formats values as Go's fmt.Sprintln: `%v` for each, separated by spaces, with a final newline. */
export function sprintln(values: readonly GoValue[]): string {
    return `${values.map((value) => formatValue(value, plainSpec("v"))).join(" ")}\n`;
}

/** Formats a value as Go's `%v` does (what `{{ .X }}` prints, except that untyped nil prints `<no value>` there). */
export function formatDefault(value: GoValue): string {
    return formatValue(value, plainSpec("v"));
}

/**
 * Formats values as Go's fmt.Sprintf. Supports the flags `+ - # 0` and space, widths and
 * precisions (also `*`), explicit argument indexes `%[n]d`, and the verbs v T t d b o O x X c q U
 * e E f F g G s and `%%`. Problems appear in the output as Go writes them, such as `%!d(string=x)`
 * or `%!s(MISSING)`.
 */
export function sprintf(format: string, args: readonly GoValue[]): string {
    let output = "";
    let argumentIndex = 0;
    let reordered = false;
    let position = 0;

    while (position < format.length) {
        const percent = format.indexOf("%", position);
        if (percent < 0) {
            output += format.slice(position);
            break;
        }
        output += format.slice(position, percent);
        position = percent + 1;

        const spec = plainSpec("");
        for (; position < format.length; position++) {
            const flag = format[position];
            if (flag === "#") spec.sharp = true;
            else if (flag === "0") spec.zero = true;
            else if (flag === "+") spec.plus = true;
            else if (flag === "-") spec.minus = true;
            else if (flag === " ") spec.space = true;
            else break;
        }

        let goodIndex = true;
        const readIndex = (): void => {
            const match = /^\[(\d+)\]/.exec(format.slice(position));
            if (!match) return;
            reordered = true;
            position += match[0].length;
            const index = Number(match[1]) - 1;
            if (index < 0 || index >= args.length) goodIndex = false;
            else argumentIndex = index;
        };

        readIndex();
        if (format[position] === "*") {
            position++;
            const width = integerArgument(args, argumentIndex++);
            if (width === undefined) {
                output += "%!(BADWIDTH)";
            } else {
                spec.width = Math.abs(width);
                if (width < 0) spec.minus = true;
            }
        } else {
            const digits = /^\d+/.exec(format.slice(position))?.[0];
            if (digits) {
                spec.width = Number(digits);
                position += digits.length;
            }
        }
        if (format[position] === "." && position + 1 <= format.length) {
            position++;
            readIndex();
            if (format[position] === "*") {
                position++;
                const precision = integerArgument(args, argumentIndex++);
                if (precision === undefined) output += "%!(BADPREC)";
                else if (precision >= 0) spec.precision = precision;
            } else {
                const digits = /^\d*/.exec(format.slice(position))?.[0] ?? "";
                spec.precision = digits === "" ? 0 : Number(digits);
                position += digits.length;
            }
        }
        readIndex();

        if (position >= format.length) {
            output += "%!(NOVERB)";
            break;
        }
        const verb = String.fromCodePoint(format.codePointAt(position) ?? 0);
        position += verb.length;
        spec.verb = verb;

        if (verb === "%") {
            output += "%";
        } else if (!goodIndex) {
            output += `%!${verb}(BADINDEX)`;
        } else if (argumentIndex >= args.length) {
            output += `%!${verb}(MISSING)`;
        } else {
            if (verb === "v") {
                spec.sharpV = spec.sharp;
                spec.sharp = false;
                spec.plusV = spec.plus;
                spec.plus = false;
            }
            output += formatValue(args[argumentIndex++], spec);
        }
    }

    if (!reordered && argumentIndex < args.length) {
        const extra = args.slice(argumentIndex).map((value) => (value === null ? "<nil>" : `${goTypeName(value)}=${formatDefault(value)}`));
        output += `%!(EXTRA ${extra.join(", ")})`;
    }
    return output;
}

/** Reads a `*` width or precision, which must be an int within ±1e6 (Go's fmt treats larger values as bad). */
function integerArgument(args: readonly GoValue[], index: number): number | undefined {
    const value = args[index];
    return typeof value === "bigint" && value <= 1_000_000n && value >= -1_000_000n ? Number(value) : undefined;
}

/** Formats one operand for one verb, as fmt's printArg does. */
function formatValue(value: GoValue, spec: FormatSpec): string {
    if (spec.verb === "T") return pad(goTypeName(value), spec);
    if (value === null) return spec.verb === "v" ? pad("<nil>", spec) : badVerb(value, spec.verb);
    if (typeof value === "boolean") {
        return spec.verb === "t" || spec.verb === "v" ? pad(String(value), spec) : badVerb(value, spec.verb);
    }
    if (typeof value === "bigint") return formatInteger(value, spec);
    if (typeof value === "number") return formatFloat(value, spec);
    if (typeof value === "string") return formatString(value, spec);
    if (value instanceof GoTime) return formatTime(value, spec);
    return formatComposite(value, spec);
}

function badVerb(value: GoValue, verb: string): string {
    if (value === null) return `%!${verb}(<nil>)`;
    return `%!${verb}(${goTypeName(value)}=${formatDefault(value)})`;
}

/** Pads to the width with spaces, or zeros with the `0` flag, on the left unless `-` is set. */
function pad(text: string, spec: FormatSpec, zeroAllowed = true): string {
    if (spec.width === undefined) return text;
    const missing = spec.width - [...text].length;
    if (missing <= 0) return text;
    if (spec.minus) return text + " ".repeat(missing);
    return (spec.zero && zeroAllowed ? "0" : " ").repeat(missing) + text;
}

function formatString(value: string, spec: FormatSpec): string {
    switch (spec.verb) {
        case "v":
            if (spec.sharpV) return pad(quoteGoString(value), spec);
            return pad(truncate(value, spec), spec);
        case "s":
            return pad(truncate(value, spec), spec);
        case "q": {
            const truncated = truncate(value, spec);
            if (spec.sharp && canBackquote(truncated)) return pad(`\`${truncated}\``, spec);
            return pad(quoteGoString(truncated, spec.plus), spec);
        }
        case "x":
        case "X":
            return formatHexBytes(Buffer.from(value, "utf8"), spec);
        default:
            return badVerb(value, spec.verb);
    }
}

/** Applies a precision to a string: at most that many characters. */
function truncate(value: string, spec: FormatSpec): string {
    if (spec.precision === undefined) return value;
    return [...value].slice(0, spec.precision).join("");
}

function canBackquote(value: string): boolean {
    return !/[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(value);
}

/** `%x` of a string: two hex digits per byte; `% x` separates bytes, `%#x` adds 0x. */
function formatHexBytes(bytes: Buffer, spec: FormatSpec): string {
    const length = spec.precision !== undefined && spec.precision < bytes.length ? spec.precision : bytes.length;
    let hex = "";
    for (let index = 0; index < length; index++) {
        if (spec.space && index > 0) hex += " ";
        if (spec.sharp && (spec.space || index === 0)) hex += "0x";
        hex += bytes[index].toString(16).padStart(2, "0");
    }
    if (spec.verb === "X") hex = hex.toUpperCase();
    return pad(hex, spec);
}

function formatInteger(value: bigint, spec: FormatSpec): string {
    switch (spec.verb) {
        case "v":
        case "d":
            return formatIntegerDigits(value, 10, spec);
        case "b":
            return formatIntegerDigits(value, 2, spec);
        case "o":
        case "O":
            return formatIntegerDigits(value, 8, spec);
        case "x":
        case "X":
            return formatIntegerDigits(value, 16, spec);
        case "c":
            return pad(String.fromCodePoint(validCodePoint(value)), spec);
        case "q":
            return pad(quoteGoRune(validCodePoint(value), spec.plus), spec);
        case "U": {
            // Go formats %U of a negative value as its 64-bit two's complement.
            const unsigned = value < 0n ? (1n << 64n) + value : value;
            const hex = unsigned.toString(16).toUpperCase().padStart(4, "0");
            const character = value >= 0n && value <= 0x10ffffn ? String.fromCodePoint(validCodePoint(value)) : "";
            const printable = spec.sharp && isPrintable(character) ? ` '${character}'` : "";
            return pad(`U+${hex}${printable}`, spec);
        }
        default:
            return badVerb(value, spec.verb);
    }
}

function validCodePoint(value: bigint): number {
    const valid = value >= 0n && value <= 0x10ffffn && !(value >= 0xd800n && value <= 0xdfffn);
    return valid ? Number(value) : 0xfffd;
}

/** Integer digits with sign, base prefix and zero padding, following fmt's fmtInteger. */
function formatIntegerDigits(value: bigint, base: 2 | 8 | 10 | 16, spec: FormatSpec): string {
    const negative = value < 0n;
    let digits = (negative ? -value : value).toString(base);
    if (spec.verb === "X") digits = digits.toUpperCase();

    let minimumDigits = 0;
    if (spec.precision !== undefined) {
        // Precision 0 and value 0 print nothing but the padding.
        if (spec.precision === 0 && value === 0n) return pad("", { ...spec, zero: false });
        minimumDigits = spec.precision;
    } else if (spec.zero && !spec.minus && spec.width !== undefined) {
        minimumDigits = spec.width - (negative || spec.plus || spec.space ? 1 : 0);
    }
    digits = digits.padStart(minimumDigits, "0");

    let prefix = "";
    if (spec.verb === "O") prefix = "0o";
    else if (spec.sharp && base === 16) prefix = spec.verb === "X" ? "0X" : "0x";
    else if (spec.sharp && base === 2) prefix = "0b";
    else if (spec.sharp && base === 8 && !digits.startsWith("0")) prefix = "0";
    let sign = "";
    if (negative) sign = "-";
    else if (spec.plus) sign = "+";
    else if (spec.space) sign = " ";
    return pad(sign + prefix + digits, spec, false);
}

function formatFloat(value: number, spec: FormatSpec): string {
    let text: string;
    const precision = spec.precision;
    switch (spec.verb) {
        case "v":
            text = formatGoFloat(value, "g", precision ?? -1);
            break;
        case "g":
        case "G":
            text = formatGoFloat(value, spec.verb, precision ?? -1);
            break;
        case "e":
        case "E":
            text = formatGoFloat(value, spec.verb, precision ?? 6);
            break;
        case "f":
        case "F":
            text = formatGoFloat(value, "f", precision ?? 6);
            break;
        case "b":
        case "x":
        case "X":
            throw new EvaluationFailure(`printf verb %${spec.verb} for a float64 is not supported: use %e, %f or %g`);
        default:
            return badVerb(value, spec.verb);
    }
    if (spec.sharp) throw new EvaluationFailure(`printf flag # for a float64 is not supported: use %e, %f or %g without it`);

    const special = text.endsWith("Inf") || text === "NaN";
    let sign = "";
    if (text.startsWith("-") || text.startsWith("+")) {
        sign = text[0];
        text = text.slice(1);
    }
    if (sign === "+" && !spec.plus) sign = spec.space ? " " : "";
    if (sign === "" && !special && spec.plus) sign = "+";
    if (sign === "" && !special && spec.space) sign = " ";
    if (special) return pad(sign + text, spec, false);
    if (sign !== "" && spec.zero && !spec.minus && spec.width !== undefined && spec.width > text.length + 1) {
        return sign + "0".repeat(spec.width - text.length - 1) + text;
    }
    return pad(sign + text, spec);
}

/** A time.Time prints through its String method for the string verbs, as fmt does for a Stringer. */
function formatTime(value: GoTime, spec: FormatSpec): string {
    if (["v", "s", "q", "x", "X"].includes(spec.verb) && !spec.sharpV) {
        return formatString(formatGoTime(value, goTimeStringLayout), spec);
    }
    throw new EvaluationFailure(`printf verb %${spec.verb} for a time.Time is not supported: use %v, or the Format method such as {{ .Now.Format "2006-01-02" }}`);
}

/** Lists as `[a b]`, maps as `map[k:v]`, structs as `{a b}` (`{A:a B:b}` with `%+v`), elements formatted with the same verb. */
function formatComposite(value: readonly GoValue[] | GoMap | GoStruct, spec: FormatSpec): string {
    if (spec.sharpV) {
        throw new EvaluationFailure(`printf %#v for a ${goTypeName(value)} is not supported: use %v`);
    }
    // As in Go, width and flags apply to each element, not to the whole.
    const element = spec;
    let text: string;
    if (Array.isArray(value)) {
        text = `[${value.map((item) => formatValue(item, element)).join(" ")}]`;
    } else if (value instanceof GoMap) {
        const entries = value.sortedEntries().map(([key, item]) => `${formatValue(key, element)}:${formatValue(item, element)}`);
        text = `map[${entries.join(" ")}]`;
    } else {
        const struct = value as GoStruct;
        const fields = struct.orderedFields().map(([name, item]) => (spec.plusV ? `${name}:` : "") + formatValue(item, element));
        text = `{${fields.join(" ")}}`;
    }
    return text;
}
