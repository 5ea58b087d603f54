// Go's quoting rules (strconv.Quote, QuoteToASCII, QuoteRune), used by `%q` and in error messages.

/** Printable in Go's sense (unicode.IsPrint): letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printableCharacter = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Returns whether a single character is printable in Go's sense (strconv.IsPrint). */
export function isPrintable(character: string): boolean {
    return printableCharacter.test(character);
}

/** Quotes a string as Go's strconv.Quote does; with `asciiOnly`, as strconv.QuoteToASCII does. */
export function quoteGoString(text: string, asciiOnly = false): string {
    let quoted = '"';
    for (const character of text) quoted += escapeCharacter(character, '"', asciiOnly);
    return `${quoted}"`;
}

/** Quotes one Unicode code point as a Go rune literal, as strconv.QuoteRune does. */
export function quoteGoRune(codePoint: number, asciiOnly = false): string {
    const valid = codePoint >= 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
    const character = String.fromCodePoint(valid ? codePoint : 0xfffd);
    return `'${escapeCharacter(character, "'", asciiOnly)}'`;
}

function escapeCharacter(character: string, quote: string, asciiOnly: boolean): string {
    const codePoint = character.codePointAt(0) ?? 0;
    if (character === quote || character === "\\") return `\\${character}`;
    if (codePoint < 0x80 && printableCharacter.test(character)) return character;
    if (!asciiOnly && codePoint >= 0x80 && printableCharacter.test(character)) return character;
    switch (character) {
        case "\x07":
            return "\\a";
        case "\b":
            return "\\b";
        case "\f":
            return "\\f";
        case "\n":
            return "\\n";
        case "\r":
            return "\\r";
        case "\t":
            return "\\t";
        case "\v":
            return "\\v";
    }
    if (codePoint < 0x80 || codePoint === 0x7f) return `\\x${hex(codePoint, 2)}`;
    if (codePoint <= 0xffff) return `\\u${hex(codePoint, 4)}`;
    return `\\U${hex(codePoint, 8)}`;
}

function hex(value: number, digits: number): string {
    return value.toString(16).padStart(digits, "0");
}
