// English title casing as GoReleaser's `title` function does it with golang.org/x/text/cases:
// the first letter of each word in title case, the other letters in lower case.

/** Title-case forms that differ from the upper-case form (Unicode SpecialCasing and the Latin digraphs). */
const titleCaseExceptions: Record<string, string> = {
    "ß": "Ss",
    "ﬀ": "Ff",
    "ﬁ": "Fi",
    "ﬂ": "Fl",
    "ﬃ": "Ffi",
    "ﬄ": "Ffl",
    "ﬅ": "St",
    "ﬆ": "St",
    "ŉ": "ʼN",
    "Ǆ": "ǅ",
    "ǅ": "ǅ",
    "ǆ": "ǅ",
    "Ǉ": "ǈ",
    "ǈ": "ǈ",
    "ǉ": "ǈ",
    "Ǌ": "ǋ",
    "ǋ": "ǋ",
    "ǌ": "ǋ",
    "Ǳ": "ǲ",
    "ǲ": "ǲ",
    "ǳ": "ǲ",
};

/** Characters that may stand once between two letters of one word, such as the apostrophe of "it's". */
const midWordCharacters = new Set([".", ":", "'", "·", "’", "‘", "\u2024", "\uFE13", "\uFE52", "\uFE55", "\uFF07", "\uFF0E", "\uFF1A", "\u05F4", "\u2027"]);

/**
 * Title-cases English text: "hello WORLD it's foo-bar" becomes "Hello World It's Foo-Bar". A word
 * starts at a letter. Digits, marks and `_` continue it, and so does one of `. : '` between letters,
 * so "x86_64" and "hello.world" are one word each. A digit does not start a word, so "1st" becomes
 * "1St", as x/text does.
 */
export function titleCase(text: string): string {
    let output = "";
    let lowerRun = "";
    let inWord = false;
    let afterMidCharacter = false;
    const flushLowerRun = (): void => {
        output += lowerRun.toLowerCase();
        lowerRun = "";
    };

    for (const character of text) {
        if (/\p{L}/u.test(character)) {
            if (inWord) {
                lowerRun += character;
            } else {
                flushLowerRun();
                output += titleCaseExceptions[character] ?? character.toUpperCase();
                inWord = true;
            }
            afterMidCharacter = false;
            continue;
        }
        flushLowerRun();
        output += character;
        if (/[\p{N}\p{M}\p{Pc}]/u.test(character)) {
            afterMidCharacter = false;
        } else if (midWordCharacters.has(character) && inWord && !afterMidCharacter) {
            afterMidCharacter = true;
        } else {
            inWord = false;
            afterMidCharacter = false;
        }
    }
    flushLowerRun();
    return output;
}
