// Translation of the regular expressions that GoReleaser's filter and reverseFilter accept (Go's
// regexp.CompilePOSIX: RE2 syntax without Perl extensions) into JavaScript regular expressions.

/** Raised for a pattern that Go's regexp.CompilePOSIX rejects, or that this translation cannot express. */
export class PosixRegexError extends Error {}

/** ASCII character classes of POSIX bracket expressions, such as `[[:digit:]]`. */
const posixClasses: Record<string, string> = {
    alnum: "0-9A-Za-z",
    alpha: "A-Za-z",
    ascii: "\\x00-\\x7F",
    blank: "\\t ",
    cntrl: "\\x00-\\x1F\\x7F",
    digit: "0-9",
    graph: "!-~",
    lower: "a-z",
    print: " -~",
    punct: "!-/:-@\\[-`{-~",
    space: "\\t\\n\\v\\f\\r ",
    upper: "A-Z",
    word: "0-9A-Za-z_",
    xdigit: "0-9A-Fa-f",
};

const cEscapes: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

function literal(codePoint: number): string {
    return `\\u{${codePoint.toString(16)}}`;
}

/**
 * Compiles a pattern as Go's regexp.CompilePOSIX would read it, for testing whether a line
 * matches. Perl extensions that CompilePOSIX rejects (`\d`, `\w`, `\s`, `\b`, `(?…)`) are
 * rejected here too, with the POSIX spelling to use instead. Throws a {@link PosixRegexError}.
 *
 * Go matches leftmost-longest in POSIX mode and JavaScript leftmost-first. The two choose different
 * matching text but agree on whether a line matches, which is all that filtering needs.
 */
export function compilePosixRegex(pattern: string): RegExp {
    const characters = [...pattern];
    let output = "";
    let index = 0;
    const fail = (reason: string): never => {
        throw new PosixRegexError(`invalid regular expression ${JSON.stringify(pattern)}: ${reason}`);
    };
    // Where the last atom starts in `output`, and where each open group starts, so that a
    // repetition of a repetition (a*? or a+* , valid in POSIX mode) can become (?:a*)? in JavaScript.
    let atomStart = 0;
    const groupStarts: number[] = [];
    let afterRepetition = false;
    const appendAtom = (text: string): void => {
        atomStart = output.length;
        output += text;
        afterRepetition = false;
    };
    const appendRepetition = (text: string): void => {
        if (afterRepetition) output = `${output.slice(0, atomStart)}(?:${output.slice(atomStart)})`;
        output += text;
        afterRepetition = true;
    };

    while (index < characters.length) {
        const character = characters[index];
        if (character === "\\") {
            const { text, next } = translateEscape(characters, index, fail);
            appendAtom(text);
            index = next;
            continue;
        }
        if (character === "[") {
            const { text, next } = translateBracket(characters, index, fail);
            appendAtom(text);
            index = next;
            continue;
        }
        if (character === "(" && characters[index + 1] === "?") {
            fail("flags and named groups `(?…)` are Perl syntax, which GoReleaser's filter (Go regexp.CompilePOSIX) rejects");
        }
        if (character === "(") {
            groupStarts.push(output.length);
            output += "(";
            afterRepetition = false;
            index++;
            continue;
        }
        if (character === ")") {
            atomStart = groupStarts.pop() ?? 0;
            output += ")";
            afterRepetition = false;
            index++;
            continue;
        }
        if (character === "*" || character === "+" || character === "?") {
            appendRepetition(character);
            index++;
            continue;
        }
        if (character === "{") {
            const repeat = /^\{\d+(,\d*)?\}/.exec(characters.slice(index).join(""));
            if (repeat) {
                appendRepetition(repeat[0]);
                index += repeat[0].length;
                continue;
            }
            appendAtom("\\{");
            index++;
            continue;
        }
        if (character === "}") appendAtom("\\}");
        else if (character === ".") appendAtom("[^\\n]");
        else if (character === "|" || character === "^" || character === "$") {
            output += character;
            afterRepetition = false;
        } else appendAtom(character);
        index++;
    }

    try {
        return new RegExp(output, "u");
    } catch (error) {
        return fail((error as Error).message);
    }
}

function translateEscape(characters: string[], index: number, fail: (reason: string) => never): { text: string; next: number } {
    const letter = characters[index + 1];
    if (letter === undefined) fail("trailing backslash at end of expression");
    const codePoint = letter.codePointAt(0) ?? 0;
    if (codePoint < 0x80 && !/[0-9A-Za-z]/.test(letter)) return { text: literal(codePoint), next: index + 2 };
    if (Object.hasOwn(cEscapes, letter)) return { text: literal(cEscapes[letter]), next: index + 2 };
    if (/[0-7]/.test(letter)) {
        const digits = /^[0-7]{1,3}/.exec(characters.slice(index + 1, index + 4).join(""))?.[0] ?? "";
        if (letter !== "0" && digits.length === 1) fail(`invalid escape sequence \`\\${letter}\`: back-references are not supported by Go regular expressions`);
        return { text: literal(Number.parseInt(digits, 8)), next: index + 1 + digits.length };
    }
    if (letter === "x") {
        const rest = characters.slice(index + 2).join("");
        const braced = /^\{([0-9A-Fa-f]+)\}/.exec(rest);
        if (braced && Number.parseInt(braced[1], 16) <= 0x10ffff) return { text: literal(Number.parseInt(braced[1], 16)), next: index + 2 + braced[0].length };
        const pair = /^[0-9A-Fa-f]{2}/.exec(rest);
        if (pair) return { text: literal(Number.parseInt(pair[0], 16)), next: index + 4 };
    }
    const hint: Record<string, string> = { d: "[[:digit:]]", s: "[[:space:]]", w: "[[:word:]]", D: "[^[:digit:]]", S: "[^[:space:]]", W: "[^[:word:]]" };
    const suggestion = Object.hasOwn(hint, letter) ? `, so write ${hint[letter]}` : "";
    return fail(`invalid escape sequence \`\\${letter}\`: GoReleaser's filter uses Go regexp.CompilePOSIX, which has no Perl escapes${suggestion}`);
}

/** Translates a bracket expression such as `[^a-z[:digit:]]`. */
function translateBracket(characters: string[], index: number, fail: (reason: string) => never): { text: string; next: number } {
    let position = index + 1;
    let text = "[";
    if (characters[position] === "^") {
        text += "^\\n";
        position++;
    }
    let first = true;
    for (;;) {
        const character = characters[position];
        if (character === undefined) fail("missing closing ] of a bracket expression");
        if (character === "]" && !first) {
            position++;
            break;
        }
        first = false;
        if (character === "[" && characters[position + 1] === ":") {
            const rest = characters.slice(position).join("");
            const named = /^\[:(\^?)([a-z]+):\]/.exec(rest);
            if (named && Object.hasOwn(posixClasses, named[2])) {
                if (named[1] === "^") fail(`negated class [:^${named[2]}:] inside brackets is not supported; negate the whole bracket expression instead`);
                text += posixClasses[named[2]];
                position += [...named[0]].length;
                continue;
            }
            if (named) fail(`invalid character class range [:${named[2]}:]`);
        }
        if (character === "\\") {
            const { text: escaped, next } = translateEscape(characters, position, fail);
            text += escaped;
            position = next;
            continue;
        }
        if (character === "-" && characters[position + 1] !== "]" && text !== "[" && text !== "[^\\n") {
            text += "-";
            position++;
            continue;
        }
        text += literal(character.codePointAt(0) ?? 0);
        position++;
    }
    return { text: `${text}]`, next: position };
}
