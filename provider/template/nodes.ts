// Syntax tree of a parsed template, shaped after Go's text/template/parse nodes. Every node keeps
// the character offset of its first token so that errors can point at it.

/** A parsed template: the list of nodes at its top level. */
export interface TemplateTree {
    readonly text: string;
    readonly root: readonly Node[];
}

/** A node of a template's body. */
export type Node = TextNode | ActionNode | IfNode | WithNode | RangeNode | BreakNode | ContinueNode;

export interface TextNode {
    readonly type: "text";
    readonly offset: number;
    readonly text: string;
}

/** `{{ pipeline }}`: prints the pipeline's value unless the pipeline declares or assigns variables. */
export interface ActionNode {
    readonly type: "action";
    readonly offset: number;
    readonly pipe: PipeNode;
}

/** `{{if}}`; `{{else if}}` is an `if` alone in the else branch, as in Go. */
export interface IfNode {
    readonly type: "if";
    readonly offset: number;
    readonly pipe: PipeNode;
    readonly list: readonly Node[];
    readonly elseList?: readonly Node[];
}

/** `{{with}}`: like `if`, and sets dot to the pipeline's value in the first branch. */
export interface WithNode {
    readonly type: "with";
    readonly offset: number;
    readonly pipe: PipeNode;
    readonly list: readonly Node[];
    readonly elseList?: readonly Node[];
}

/** `{{range}}`: the else branch runs when there is nothing to iterate over. */
export interface RangeNode {
    readonly type: "range";
    readonly offset: number;
    readonly pipe: PipeNode;
    readonly list: readonly Node[];
    readonly elseList?: readonly Node[];
}

export interface BreakNode {
    readonly type: "break";
    readonly offset: number;
}

export interface ContinueNode {
    readonly type: "continue";
    readonly offset: number;
}

/** Commands joined by `|`, optionally preceded by `$x :=`, `$x =` or, in `range`, `$i, $v :=`. */
export interface PipeNode {
    readonly type: "pipe";
    readonly offset: number;
    /** Declared or assigned variable names, with their `$`. */
    readonly declarations: readonly string[];
    /** True for `=` (assign to existing variables), false for `:=` (declare). */
    readonly isAssign: boolean;
    readonly commands: readonly CommandNode[];
}

/** One stage of a pipeline: a function name or value followed by its arguments. */
export interface CommandNode {
    readonly type: "command";
    readonly offset: number;
    readonly args: readonly ArgumentNode[];
}

/** An operand of a command. */
export type ArgumentNode =
    | FieldNode
    | VariableNode
    | ChainNode
    | IdentifierNode
    | DotNode
    | NilNode
    | BoolNode
    | NumberNode
    | StringNode
    | PipeNode;

/** `.A.B.C`: fields looked up on dot. */
export interface FieldNode {
    readonly type: "field";
    readonly offset: number;
    readonly names: readonly string[];
}

/** `$x` or `$x.A.B`: a variable and fields looked up on it. */
export interface VariableNode {
    readonly type: "variable";
    readonly offset: number;
    readonly name: string;
    readonly fields: readonly string[];
}

/** `(pipeline).A.B`: fields looked up on a parenthesised pipeline's value. */
export interface ChainNode {
    readonly type: "chain";
    readonly offset: number;
    readonly node: ArgumentNode;
    readonly fields: readonly string[];
}

/** A function name. */
export interface IdentifierNode {
    readonly type: "identifier";
    readonly offset: number;
    readonly name: string;
}

export interface DotNode {
    readonly type: "dot";
    readonly offset: number;
}

export interface NilNode {
    readonly type: "nil";
    readonly offset: number;
}

export interface BoolNode {
    readonly type: "bool";
    readonly offset: number;
    readonly value: boolean;
}

/**
 * A number constant. Go gives an untyped constant the type its spelling suggests: `1.5`, `1e3`
 * are float64, `1`, `0x1F` and `'a'` are int.
 */
export interface NumberNode {
    readonly type: "number";
    readonly offset: number;
    readonly text: string;
    /** The value as Go's `int` when the spelling is an integer, else undefined. */
    readonly integer?: bigint;
    /** The value as float64, when the constant is written as a float. */
    readonly float?: number;
}

export interface StringNode {
    readonly type: "string";
    readonly offset: number;
    /** The literal as written, with its quotes. */
    readonly quoted: string;
    readonly value: string;
}
