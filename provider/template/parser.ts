import { TemplateError } from "./errors";
import { tokenize, type Token } from "./lexer";
import { decodeNumber, LiteralError, unquoteString } from "./literals";
import type { ArgumentNode, CommandNode, Node, NumberNode, PipeNode, TemplateTree } from "./nodes";

/** Functions that a template may name, and those recognised only to be rejected with a reason. */
export interface FunctionTable {
    has(name: string): boolean;
    /** The reason a Go function is not supported, or undefined when it is supported or unknown. */
    unsupportedReason(name: string): string | undefined;
}

/**
 * Maximum nesting of parentheses and of control structures. The parser and the evaluator recurse
 * once per level, and Node.js 24's default stack overflowed at 3000 nested parentheses when
 * tried. Go allows 10000 parentheses, which no GoReleaser field comes near.
 */
const maxNestingDepth = 1000;

/** Reasons for the Go actions that this implementation rejects: those of named templates. */
const unsupportedActions: Record<string, string> = {
    template: "the {{template}} action is not supported because named templates are not implemented: write the text in place",
    define: "the {{define}} action is not supported because named templates are not implemented: write the text in place",
    block: "the {{block}} action is not supported because named templates are not implemented: write the text in place",
};

/**
 * Parses a template into a syntax tree, checking what Go checks at parse time: syntax, known
 * function names and declared variables. Throws a {@link TemplateError} with the position of the
 * problem.
 */
export function parse(text: string, functions: FunctionTable): TemplateTree {
    return { text, root: new Parser(text, tokenize(text), functions).parseTemplate() };
}

type ListEnd = { kind: "end"; offset: number } | { kind: "else"; offset: number; chained?: "if" | "with" };

class Parser {
    private index = 0;
    /** Variables in scope, innermost last; `$` is always defined. */
    private variables: string[] = ["$"];
    private rangeDepth = 0;
    private nestingDepth = 0;

    constructor(
        private readonly text: string,
        private readonly tokens: readonly Token[],
        private readonly functions: FunctionTable,
    ) {}

    parseTemplate(): Node[] {
        const nodes: Node[] = [];
        while (this.peek().kind !== "eof") {
            const node = this.textOrAction();
            if ("kind" in node) this.fail(node.offset, `unexpected {{${node.kind}}}`);
            nodes.push(node);
        }
        return nodes;
    }

    private fail(offset: number, reason: string): never {
        throw new TemplateError(this.text, "parse", offset, reason);
    }

    private peek(): Token {
        return this.tokens[this.index];
    }

    private next(): Token {
        const token = this.tokens[this.index];
        if (token.kind !== "eof") this.index++;
        return token;
    }

    private backup(): void {
        this.index--;
    }

    private skipSpace(): void {
        while (this.peek().kind === "space") this.index++;
    }

    private peekNonSpace(): Token {
        this.skipSpace();
        return this.peek();
    }

    private nextNonSpace(): Token {
        this.skipSpace();
        return this.next();
    }

    private unexpected(token: Token, context: string): never {
        return this.fail(token.offset, `unexpected ${describeToken(token)} in ${context}`);
    }

    private expectRightDelimiter(context: string): Token {
        const token = this.nextNonSpace();
        if (token.kind !== "rightDelim") this.unexpected(token, context);
        return token;
    }

    /** Parses nodes up to `{{end}}` or `{{else}}`, which is returned separately. */
    private itemList(): { nodes: Node[]; end: ListEnd } {
        const nodes: Node[] = [];
        while (this.peekNonSpace().kind !== "eof") {
            const node = this.textOrAction();
            if ("kind" in node) return { nodes, end: node };
            nodes.push(node);
        }
        return this.fail(this.text.length, "unexpected EOF: an {{if}}, {{with}} or {{range}} has no {{end}}");
    }

    private textOrAction(): Node | ListEnd {
        const token = this.nextNonSpace();
        if (token.kind === "text") return { type: "text", offset: token.offset, text: token.value };
        if (token.kind === "leftDelim") return this.action();
        return this.unexpected(token, "input");
    }

    private action(): Node | ListEnd {
        const token = this.nextNonSpace();
        if (token.kind === "keyword") {
            switch (token.value) {
                case "if":
                case "with":
                case "range":
                    return this.control(token.value, token.offset);
                case "else":
                    return this.elseControl(token);
                case "end":
                    this.expectRightDelimiter("end");
                    return { kind: "end", offset: token.offset };
                case "break":
                case "continue":
                    this.expectRightDelimiter(`{{${token.value}}}`);
                    if (this.rangeDepth === 0) this.fail(token.offset, `{{${token.value}}} outside {{range}}`);
                    return { type: token.value, offset: token.offset };
                default:
                    return this.fail(token.offset, unsupportedActions[token.value] ?? `the {{${token.value}}} action is not supported`);
            }
        }
        this.backup();
        // Variables declared in a plain action stay in scope until the enclosing {{end}}.
        const pipe = this.pipeline("command", "rightDelim");
        return { type: "action", offset: pipe.offset, pipe };
    }

    private elseControl(token: Token): ListEnd {
        const next = this.peekNonSpace();
        if (next.kind === "keyword" && (next.value === "if" || next.value === "with")) {
            return { kind: "else", offset: token.offset, chained: next.value };
        }
        this.expectRightDelimiter("else");
        return { kind: "else", offset: token.offset };
    }

    private enterNesting(offset: number): void {
        if (this.nestingDepth >= maxNestingDepth) {
            this.fail(offset, `max expression depth exceeded: templates may nest parentheses and control structures ${maxNestingDepth} levels deep`);
        }
        this.nestingDepth++;
    }

    /** Parses `if`, `with` or `range` after its keyword, through its `{{end}}`. */
    private control(kind: "if" | "with" | "range", offset: number): Node {
        const scopeSize = this.variables.length;
        this.enterNesting(offset);
        try {
            const pipe = this.pipeline(kind, "rightDelim");
            if (kind === "range") this.rangeDepth++;
            const { nodes: list, end } = this.itemList();
            if (kind === "range") this.rangeDepth--;
            let elseList: Node[] | undefined;
            if (end.kind === "else") {
                if (end.chained !== undefined && end.chained === kind) {
                    // `{{else if x}}` is `{{else}}{{if x}}…{{end}}{{end}}` sharing one {{end}}, as in Go.
                    const chained = this.nextNonSpace();
                    elseList = [this.control(end.chained, chained.offset)];
                } else {
                    if (end.chained !== undefined) {
                        this.fail(end.offset, `{{else ${end.chained}}} cannot follow {{${kind}}}: write {{else}}{{${end.chained} …}}…{{end}}`);
                    }
                    const rest = this.itemList();
                    if (rest.end.kind !== "end") this.fail(rest.end.offset, `expected {{end}} but found a second {{else}} in {{${kind}}}`);
                    elseList = rest.nodes;
                }
            }
            return { type: kind, offset, pipe, list, elseList };
        } finally {
            this.nestingDepth--;
            this.variables.length = scopeSize;
        }
    }

    /** Parses `declarations? command ('|' command)*` up to `end` (a right delimiter or parenthesis). */
    private pipeline(context: string, end: "rightDelim" | "rightParen"): PipeNode {
        const offset = this.peekNonSpace().offset;
        const declarations: string[] = [];
        let isAssign = false;
        this.parseDeclarations(context, declarations, (assign) => (isAssign = assign));

        const commands: CommandNode[] = [];
        for (;;) {
            const token = this.nextNonSpace();
            if (token.kind === end) break;
            switch (token.kind) {
                case "bool":
                case "charConstant":
                case "dot":
                case "field":
                case "identifier":
                case "number":
                case "nil":
                case "rawString":
                case "string":
                case "variable":
                case "leftParen":
                    this.backup();
                    commands.push(this.command());
                    continue;
                default:
                    this.unexpected(token, context);
            }
        }
        if (commands.length === 0) this.fail(offset, `missing value for ${context}`);
        commands.slice(1).forEach((command, index) => {
            const first = command.args[0];
            if (["bool", "dot", "nil", "number", "string"].includes(first.type)) {
                this.fail(first.offset, `non executable command in pipeline stage ${index + 2}: only a function or a field can receive the value piped into it`);
            }
        });
        return { type: "pipe", offset, declarations, isAssign, commands };
    }

    /** Reads `$x :=`, `$x =` or, in `range`, `$i, $v :=` at the start of a pipeline. */
    private parseDeclarations(context: string, declarations: string[], setAssign: (assign: boolean) => void): void {
        for (;;) {
            const variable = this.peekNonSpace();
            if (variable.kind !== "variable") return;
            const start = this.index;
            this.next();
            const next = this.peekNonSpace();
            if (next.kind === "assign" || next.kind === "declare") {
                this.next();
                setAssign(next.kind === "assign");
                declarations.push(variable.value);
                this.variables.push(variable.value);
                return;
            }
            if (next.kind === "char" && next.value === ",") {
                this.next();
                declarations.push(variable.value);
                this.variables.push(variable.value);
                if (context === "range" && declarations.length < 2) {
                    const following = this.peekNonSpace();
                    if (following.kind === "variable") continue;
                    this.fail(following.offset, "range can only initialize variables");
                }
                this.fail(next.offset, `too many declarations in ${context}`);
            }
            this.index = start;
            return;
        }
    }

    /** Parses space-separated operands up to `|`, `)` or `}}`. */
    private command(): CommandNode {
        const offset = this.peekNonSpace().offset;
        const args: ArgumentNode[] = [];
        for (;;) {
            this.skipSpace();
            const operand = this.operand();
            if (operand) args.push(operand);
            const token = this.next();
            if (token.kind === "space") continue;
            if (token.kind === "rightDelim" || token.kind === "rightParen") this.backup();
            else if (token.kind !== "pipe") this.unexpected(token, "operand");
            break;
        }
        if (args.length === 0) this.fail(offset, "empty command");
        return { type: "command", offset, args };
    }

    /** Parses a term followed by any `.Field` accesses. */
    private operand(): ArgumentNode | undefined {
        const term = this.term();
        if (!term || this.peek().kind !== "field") return term;
        const fields: string[] = [];
        while (this.peek().kind === "field") fields.push(this.next().value.slice(1));
        switch (term.type) {
            case "field":
                return { ...term, names: [...term.names, ...fields] };
            case "variable":
                return { ...term, fields: [...term.fields, ...fields] };
            case "bool":
            case "string":
            case "number":
            case "nil":
            case "dot":
                return this.fail(term.offset, `unexpected . after term ${JSON.stringify(this.text.slice(term.offset, this.peek().offset))}`);
            default:
                return { type: "chain", offset: term.offset, node: term, fields };
        }
    }

    private term(): ArgumentNode | undefined {
        const token = this.nextNonSpace();
        const offset = token.offset;
        switch (token.kind) {
            case "identifier":
                this.checkFunction(token);
                return { type: "identifier", offset, name: token.value };
            case "dot":
                return { type: "dot", offset };
            case "nil":
                return { type: "nil", offset };
            case "variable":
                return this.useVariable(token);
            case "field":
                return { type: "field", offset, names: [token.value.slice(1)] };
            case "bool":
                return { type: "bool", offset, value: token.value === "true" };
            case "charConstant":
            case "number":
                return this.numberNode(token);
            case "leftParen": {
                this.enterNesting(offset);
                try {
                    return this.pipeline("parenthesized pipeline", "rightParen");
                } finally {
                    this.nestingDepth--;
                }
            }
            case "string":
            case "rawString":
                return { type: "string", offset, quoted: token.value, value: this.decode(token, unquoteString) };
        }
        this.backup();
        return undefined;
    }

    private checkFunction(token: Token): void {
        const reason = this.functions.unsupportedReason(token.value);
        if (reason !== undefined) this.fail(token.offset, reason);
        if (!this.functions.has(token.value)) {
            this.fail(token.offset, `function ${JSON.stringify(token.value)} not defined: GoReleaser templates offer Go's built-in functions and GoReleaser's own, which are case-sensitive`);
        }
    }

    private useVariable(token: Token): ArgumentNode {
        const [name, ...fields] = token.value.split(".");
        if (!this.variables.includes(name)) {
            this.fail(token.offset, `undefined variable ${JSON.stringify(name)}: declare it first with {{ ${name} := … }}`);
        }
        return { type: "variable", offset: token.offset, name, fields };
    }

    private numberNode(token: Token): NumberNode {
        const constant = this.decode(token, decodeNumber);
        return constant.kind === "int"
            ? { type: "number", offset: token.offset, text: token.value, integer: constant.value }
            : { type: "number", offset: token.offset, text: token.value, float: constant.value };
    }

    private decode<T>(token: Token, decoder: (text: string) => T): T {
        try {
            return decoder(token.value);
        } catch (error) {
            if (error instanceof LiteralError) this.fail(token.offset, error.message);
            throw error;
        }
    }
}

function describeToken(token: Token): string {
    switch (token.kind) {
        case "eof":
            return "EOF";
        case "rightDelim":
            return '"}}"';
        case "leftDelim":
            return '"{{"';
        case "rightParen":
            return '")"';
        case "keyword":
            return `<${token.value}>`;
        default:
            return JSON.stringify(token.value);
    }
}
