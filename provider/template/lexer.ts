import { TemplateError } from "./errors";

/** Kinds of token in a Go text/template, named after Go's text/template/parse item types. */
export type TokenKind =
    | "text"
    | "leftDelim"
    | "rightDelim"
    | "space"
    | "identifier"
    | "keyword"
    | "bool"
    | "nil"
    | "field"
    | "variable"
    | "dot"
    | "number"
    | "charConstant"
    | "string"
    | "rawString"
    | "declare"
    | "assign"
    | "pipe"
    | "leftParen"
    | "rightParen"
    | "char"
    | "eof";

/** One token; `offset` is its character offset in the template text. */
export interface Token {
    readonly kind: TokenKind;
    readonly value: string;
    readonly offset: number;
}

/** Words that start a control action; `template`, `define` and `block` are recognised only to be rejected. */
const keywords = new Set(["if", "else", "end", "range", "with", "template", "define", "block", "break", "continue"]);

const spaceCharacters = " \t\r\n";
const trimMarker = "-";

function isSpace(character: string | undefined): boolean {
    return character !== undefined && character !== "" && spaceCharacters.includes(character);
}

function isAlphanumeric(character: string | undefined): boolean {
    return character !== undefined && /^[\p{L}\p{Nd}_]$/u.test(character);
}

/**
 * Splits a template into tokens as Go's text/template lexer does with the default `{{` `}}`
 * delimiters: text outside actions, trim markers `{{- ` and ` -}}` that remove the white space
 * next to them, comments `{{/* … *\/}}` (dropped), and the words, literals and punctuation inside
 * actions. Throws a {@link TemplateError} at the offending character.
 */
export function tokenize(template: string): Token[] {
    return new Lexer(template).run();
}

class Lexer {
    private readonly tokens: Token[] = [];
    private position = 0;
    private parenDepth = 0;

    constructor(private readonly input: string) {}

    run(): Token[] {
        while (this.position < this.input.length) {
            this.lexText();
        }
        this.emit("eof", "", this.input.length);
        return this.tokens;
    }

    private fail(offset: number, reason: string): never {
        throw new TemplateError(this.input, "parse", offset, reason);
    }

    private emit(kind: TokenKind, value: string, offset: number): void {
        this.tokens.push({ kind, value, offset });
    }

    private startsWith(prefix: string, at = this.position): boolean {
        return this.input.startsWith(prefix, at);
    }

    /** Scans text up to the next `{{`, trimming trailing white space when the delimiter has a trim marker. */
    private lexText(): void {
        const start = this.position;
        const delimiter = this.input.indexOf("{{", start);
        if (delimiter < 0) {
            this.emit("text", this.input.slice(start), start);
            this.position = this.input.length;
            return;
        }
        let text = this.input.slice(start, delimiter);
        if (this.hasLeftTrimMarker(delimiter + 2)) text = text.replace(/[ \t\r\n]+$/, "");
        if (text !== "") this.emit("text", text, start);
        this.position = delimiter;
        this.lexLeftDelimiter();
    }

    private hasLeftTrimMarker(at: number): boolean {
        return this.input[at] === trimMarker && isSpace(this.input[at + 1]);
    }

    private hasRightTrimMarker(at: number): boolean {
        return isSpace(this.input[at]) && this.input[at + 1] === trimMarker;
    }

    /** Returns whether a right delimiter starts here, and whether it carries a trim marker (` -}}`). */
    private atRightDelimiter(): { delimiter: boolean; trim: boolean } {
        if (this.hasRightTrimMarker(this.position) && this.startsWith("}}", this.position + 2)) {
            return { delimiter: true, trim: true };
        }
        return { delimiter: this.startsWith("}}"), trim: false };
    }

    private lexLeftDelimiter(): void {
        const start = this.position;
        this.position += 2;
        const afterMarker = this.hasLeftTrimMarker(this.position) ? 2 : 0;
        if (this.startsWith("/*", this.position + afterMarker)) {
            this.position += afterMarker;
            this.lexComment(start);
            return;
        }
        this.emit("leftDelim", "{{", start);
        this.position += afterMarker;
        this.parenDepth = 0;
        this.lexInsideAction();
    }

    private lexComment(start: number): void {
        const end = this.input.indexOf("*/", this.position + 2);
        if (end < 0) this.fail(start, "unclosed comment");
        this.position = end + 2;
        const { delimiter, trim } = this.atRightDelimiter();
        if (!delimiter) this.fail(this.position, "comment ends before closing delimiter");
        this.position += trim ? 4 : 2;
        if (trim) this.skipSpaces();
    }

    private skipSpaces(): void {
        while (isSpace(this.input[this.position])) this.position++;
    }

    /** Scans one action, from after `{{` to after `}}`. */
    private lexInsideAction(): void {
        for (;;) {
            const { delimiter, trim } = this.atRightDelimiter();
            if (delimiter) {
                if (this.parenDepth > 0) this.fail(this.position, "unclosed left paren");
                this.lexRightDelimiter(trim);
                return;
            }
            const start = this.position;
            const character = this.input[this.position];
            if (character === undefined) this.fail(start, "unclosed action");
            if (isSpace(character)) {
                this.lexSpace();
                continue;
            }
            this.position++;
            switch (character) {
                case "=":
                    this.emit("assign", "=", start);
                    continue;
                case ":":
                    if (this.input[this.position] !== "=") this.fail(start, "expected :=");
                    this.position++;
                    this.emit("declare", ":=", start);
                    continue;
                case "|":
                    this.emit("pipe", "|", start);
                    continue;
                case '"':
                    this.lexQuote(start);
                    continue;
                case "`":
                    this.lexRawQuote(start);
                    continue;
                case "$":
                    this.lexFieldOrVariable(start, "variable");
                    continue;
                case "'":
                    this.lexCharConstant(start);
                    continue;
                case "(":
                    this.parenDepth++;
                    this.emit("leftParen", "(", start);
                    continue;
                case ")":
                    this.parenDepth--;
                    if (this.parenDepth < 0) this.fail(start, "unexpected right paren");
                    this.emit("rightParen", ")", start);
                    continue;
            }
            if (character === "." && !/[0-9]/.test(this.input[this.position] ?? "")) {
                this.lexFieldOrVariable(start, "field");
                continue;
            }
            if (character === "." || character === "+" || character === "-" || /[0-9]/.test(character)) {
                this.position = start;
                this.lexNumber();
                continue;
            }
            if (isAlphanumeric(character)) {
                this.position = start;
                this.lexIdentifier();
                continue;
            }
            const codePoint = character.codePointAt(0) ?? 0;
            if (codePoint < 0x7f && codePoint > 0x20) {
                this.emit("char", character, start);
                continue;
            }
            this.fail(start, `unrecognized character in action: ${describeCharacter(this.input, start)}`);
        }
    }

    private lexRightDelimiter(trim: boolean): void {
        if (trim) this.position += 2;
        this.emit("rightDelim", "}}", this.position);
        this.position += 2;
        if (trim) this.skipSpaces();
    }

    /** Scans a run of white space, leaving a following ` -}}` for the right delimiter. */
    private lexSpace(): void {
        const start = this.position;
        while (isSpace(this.input[this.position])) this.position++;
        const beforeLast = this.position - 1;
        if (this.hasRightTrimMarker(beforeLast) && this.startsWith("}}", beforeLast + 2)) {
            this.position = beforeLast;
            if (this.position === start) return;
        }
        this.emit("space", this.input.slice(start, this.position), start);
    }

    /** Returns whether the next character may end an identifier, field or variable. */
    private atTerminator(): boolean {
        const character = this.input[this.position];
        if (character === undefined || isSpace(character)) return true;
        if (".,|:)(".includes(character)) return true;
        return this.startsWith("}}");
    }

    private scanAlphanumerics(): void {
        while (this.position < this.input.length) {
            const character = String.fromCodePoint(this.input.codePointAt(this.position) ?? 0);
            if (!isAlphanumeric(character)) break;
            this.position += character.length;
        }
    }

    private lexIdentifier(): void {
        const start = this.position;
        this.scanAlphanumerics();
        const word = this.input.slice(start, this.position);
        if (!this.atTerminator()) this.fail(this.position, `bad character ${describeCharacter(this.input, this.position)}`);
        if (keywords.has(word)) this.emit("keyword", word, start);
        else if (word === "true" || word === "false") this.emit("bool", word, start);
        else if (word === "nil") this.emit("nil", word, start);
        else this.emit("identifier", word, start);
    }

    /** Scans `.Name`, `$name` or `$`; a lone `.` is dot. The `.` or `$` is already consumed. */
    private lexFieldOrVariable(start: number, kind: "field" | "variable"): void {
        if (this.atTerminator()) {
            this.emit(kind === "variable" ? "variable" : "dot", this.input.slice(start, this.position), start);
            return;
        }
        this.scanAlphanumerics();
        if (!this.atTerminator()) this.fail(this.position, `bad character ${describeCharacter(this.input, this.position)}`);
        this.emit(kind, this.input.slice(start, this.position), start);
    }

    private lexCharConstant(start: number): void {
        this.scanQuoted(start, "'", "unterminated character constant");
        this.emit("charConstant", this.input.slice(start, this.position), start);
    }

    private lexQuote(start: number): void {
        this.scanQuoted(start, '"', "unterminated quoted string");
        this.emit("string", this.input.slice(start, this.position), start);
    }

    /** Advances past a quoted literal whose opening quote is consumed; escapes are checked by the parser. */
    private scanQuoted(start: number, quote: string, unterminated: string): void {
        for (;;) {
            const character = this.input[this.position++];
            if (character === undefined || character === "\n") this.fail(start, unterminated);
            if (character === quote) return;
            if (character === "\\") {
                const escaped = this.input[this.position++];
                if (escaped === undefined || escaped === "\n") this.fail(start, unterminated);
            }
        }
    }

    private lexRawQuote(start: number): void {
        const end = this.input.indexOf("`", this.position);
        if (end < 0) this.fail(start, "unterminated raw quoted string");
        this.position = end + 1;
        this.emit("rawString", this.input.slice(start, this.position), start);
    }

    /** Scans a number loosely, as Go does; the parser checks its syntax. */
    private lexNumber(): void {
        const start = this.position;
        const accept = (valid: string): boolean => {
            const character = this.input[this.position];
            if (character !== undefined && valid.includes(character)) {
                this.position++;
                return true;
            }
            return false;
        };
        const acceptRun = (valid: string): void => {
            while (accept(valid));
        };
        accept("+-");
        let digits = "0123456789_";
        if (accept("0")) {
            if (accept("xX")) digits = "0123456789abcdefABCDEF_";
            else if (accept("oO")) digits = "01234567_";
            else if (accept("bB")) digits = "01_";
        }
        acceptRun(digits);
        if (accept(".")) acceptRun(digits);
        if (digits.length === 11 && accept("eE")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        if (digits.length === 23 && accept("pP")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        accept("i");
        if (this.input[this.position] === "+" || this.input[this.position] === "-") {
            // Go's lexer reads `1+2i` as a complex constant.
            this.fail(start, "complex numbers such as 1+2i are not supported: GoReleaser templates have no use for them");
        }
        if (isAlphanumeric(this.input[this.position])) {
            this.position++;
            this.fail(start, `bad number syntax: ${JSON.stringify(this.input.slice(start, this.position))}`);
        }
        this.emit("number", this.input.slice(start, this.position), start);
    }
}

/** Describes a character as Go's %#U verb does, such as `U+0021 '!'`. */
function describeCharacter(text: string, offset: number): string {
    const codePoint = text.codePointAt(offset) ?? 0;
    const hex = codePoint.toString(16).toUpperCase().padStart(4, "0");
    return `U+${hex} '${String.fromCodePoint(codePoint)}'`;
}
