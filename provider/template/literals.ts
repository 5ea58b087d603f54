// Decoding of Go literals inside actions: quoted strings (strconv.Unquote), character constants
// and numbers (the rules of text/template/parse's NumberNode).

const maxInt64 = (1n << 63n) - 1n;
const minInt64 = -(1n << 63n);

/** A number constant as a template reads it: int unless written as a float. */
export type NumberConstant = { readonly kind: "int"; readonly value: bigint } | { readonly kind: "float"; readonly value: number };

/** Raised with a reason such as `invalid syntax`; the parser adds the position. */
export class LiteralError extends Error {}

/** Decodes a Go string literal: `"…"` with escapes, or a raw `` `…` `` string (whose carriage returns Go drops). */
export function unquoteString(quoted: string): string {
    if (quoted.startsWith("`")) return quoted.slice(1, -1).replaceAll("\r", "");
    const bytes: number[] = [];
    const body = quoted.slice(1, -1);
    for (let index = 0; index < body.length; ) {
        if (body[index] !== "\\") {
            const codePoint = body.codePointAt(index) ?? 0;
            const character = String.fromCodePoint(codePoint);
            if (character === '"') throw new LiteralError(`invalid syntax in ${quoted}: unescaped quote`);
            bytes.push(...Buffer.from(character, "utf8"));
            index += character.length;
            continue;
        }
        const escape = decodeEscape(body, index, '"');
        if (escape.byte !== undefined) bytes.push(escape.byte);
        else bytes.push(...Buffer.from(String.fromCodePoint(escape.codePoint ?? 0), "utf8"));
        index = escape.next;
    }
    return Buffer.from(bytes).toString("utf8");
}

/** Decodes a character constant such as `'a'` or `'\n'` to its code point. */
export function decodeCharConstant(quoted: string): number {
    const body = quoted.slice(1, -1);
    if (body.startsWith("\\")) {
        const escape = decodeEscape(body, 0, "'");
        if (escape.next !== body.length) throw new LiteralError(`invalid syntax in character constant ${quoted}`);
        return escape.byte ?? escape.codePoint ?? 0;
    }
    const codePoint = body.codePointAt(0);
    if (codePoint === undefined || String.fromCodePoint(codePoint).length !== body.length || body === "'") {
        throw new LiteralError(`invalid syntax in character constant ${quoted}`);
    }
    return codePoint;
}

interface DecodedEscape {
    /** Set for `\x` and octal escapes, which stand for one byte. */
    readonly byte?: number;
    /** Set for every other escape, which stands for one Unicode code point. */
    readonly codePoint?: number;
    readonly next: number;
}

const simpleEscapes: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };

/** Decodes the escape sequence at `body[index]` (a backslash) of a literal quoted with `quote`. */
function decodeEscape(body: string, index: number, quote: string): DecodedEscape {
    const letter = body[index + 1] ?? "";
    const invalid = (): never => {
        throw new LiteralError(`invalid escape sequence \\${letter} in a quoted literal`);
    };
    if (Object.hasOwn(simpleEscapes, letter)) return { codePoint: simpleEscapes[letter], next: index + 2 };
    if (letter === quote) return { codePoint: quote.charCodeAt(0), next: index + 2 };
    const readHex = (length: number): number => {
        const digits = body.slice(index + 2, index + 2 + length);
        if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) invalid();
        return Number.parseInt(digits, 16);
    };
    switch (letter) {
        case "x":
            return { byte: readHex(2), next: index + 4 };
        case "u":
        case "U": {
            const length = letter === "u" ? 4 : 8;
            const codePoint = readHex(length);
            if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) invalid();
            return { codePoint, next: index + 2 + length };
        }
    }
    if (/^[0-7]$/.test(letter)) {
        const digits = body.slice(index + 1, index + 4);
        if (!/^[0-7]{3}$/.test(digits)) invalid();
        const value = Number.parseInt(digits, 8);
        if (value > 255) invalid();
        return { byte: value, next: index + 4 };
    }
    return invalid();
}

const integerSyntax = /^[+-]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO](_?[0-7])+|0(_?[0-7])*|[1-9](_?[0-9])*)$/;
const decimalFloatSyntax = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const hexFloatSyntax = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/;

/**
 * Decodes a number constant and gives it the type text/template gives an untyped constant. A
 * spelling with `.`, `e` or `p` (other than a hex integer) is a float64, and anything else a
 * 64-bit int. A character constant is the int value of its code point. Complex numbers are rejected.
 */
export function decodeNumber(text: string): NumberConstant {
    if (text.startsWith("'")) return { kind: "int", value: BigInt(decodeCharConstant(text)) };
    if (text.endsWith("i")) throw new LiteralError(`complex number ${text} is not supported: GoReleaser templates have no use for them`);

    const isHexInteger = /^[+-]?0[xX]/.test(text) && !/[pP]/.test(text);
    const looksLikeFloat = !isHexInteger && /[.eEpP]/.test(text);
    if (!looksLikeFloat && integerSyntax.test(text)) {
        const value = parseInteger(text);
        if (value > maxInt64 || value < minInt64) throw new LiteralError(`${text} overflows int`);
        return { kind: "int", value };
    }
    if (looksLikeFloat) {
        if (decimalFloatSyntax.test(text) && Number.isFinite(Number(text))) return { kind: "float", value: Number(text) };
        const hexFloat = hexFloatSyntax.exec(text);
        if (hexFloat && (hexFloat[2] !== "" || hexFloat[3] !== "")) {
            const [, sign, whole, fraction, exponent] = hexFloat;
            const mantissa = Number.parseInt(`${whole}${fraction}` || "0", 16);
            const value = mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
            return { kind: "float", value: sign === "-" ? -value : value };
        }
    }
    throw new LiteralError(`illegal number syntax: ${JSON.stringify(text)}`);
}

function parseInteger(text: string): bigint {
    const negative = text.startsWith("-");
    let digits = text.replace(/^[+-]/, "").replaceAll("_", "");
    if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
    const value = BigInt(digits.toLowerCase().replace(/^0([xob])/, (_, base: string) => `0${base}`));
    return negative ? -value : value;
}
