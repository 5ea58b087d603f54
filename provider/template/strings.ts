// Go's strings functions where JavaScript's built-ins differ at the edges: Unicode white space,
// empty separators and one-to-one case mapping.

/** Unicode white space as Go's unicode.IsSpace defines it (JavaScript's trim also removes U+FEFF, Go's does not). */
const goSpace = "[\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
const leadingSpace = new RegExp(`^${goSpace}+`, "u");
const trailingSpace = new RegExp(`${goSpace}+$`, "u");

/** Removes leading and trailing white space, as Go's strings.TrimSpace does. */
export function trimSpace(text: string): string {
    return text.replace(leadingSpace, "").replace(trailingSpace, "");
}

/** Splits around each separator, as Go's strings.Split does; an empty separator splits into characters. */
export function splitString(text: string, separator: string): string[] {
    return separator === "" ? [...text] : text.split(separator);
}

/** Replaces every occurrence, as Go's strings.ReplaceAll does; an empty `old` inserts `replacement` around every character. */
export function replaceAllStrings(text: string, old: string, replacement: string): string {
    if (old !== "") return text.split(old).join(replacement);
    return replacement + [...text].join(replacement) + (text === "" ? "" : replacement);
}

/**
 * Maps each character to its upper or lower case one to one, as Go's strings.ToUpper and
 * ToLower do. A character whose full case mapping is longer, such as ß (upper case "SS" in
 * JavaScript), gets Go's one-character mapping instead.
 */
export function changeCase(text: string, to: "upper" | "lower"): string {
    let output = "";
    for (const character of text) {
        const mapped = to === "upper" ? character.toUpperCase() : character.toLowerCase();
        output += [...mapped].length === 1 ? mapped : simpleCaseMapping(character, to);
    }
    return output;
}

/**
 * Go's simple case mapping for the characters whose full mapping in JavaScript is longer than one
 * character: İ lower-cases to i, and Greek small letters with ypogegrammeni (such as ᾳ) upper-case
 * to the capital with prosgegrammeni (ᾼ). The others, such as ß and the ligatures, keep their form.
 */
function simpleCaseMapping(character: string, to: "upper" | "lower"): string {
    const codePoint = character.codePointAt(0) ?? 0;
    if (to === "lower") return codePoint === 0x130 ? "i" : character;
    const ypogegrammeniBlock = (codePoint >= 0x1f80 && codePoint <= 0x1f87) || (codePoint >= 0x1f90 && codePoint <= 0x1f97) || (codePoint >= 0x1fa0 && codePoint <= 0x1fa7);
    if (ypogegrammeniBlock) return String.fromCodePoint(codePoint + 8);
    const single: Record<number, number> = { 0x1fb3: 0x1fbc, 0x1fc3: 0x1fcc, 0x1ff3: 0x1ffc };
    return single[codePoint] !== undefined ? String.fromCodePoint(single[codePoint]) : character;
}
