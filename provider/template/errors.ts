import { quoteGoString } from "./quote";

/** Stage at which a template failed: parsing it, or executing it against a context. */
export type TemplateErrorPhase = "parse" | "execute";

/**
 * Raised when a GoReleaser template cannot be parsed or evaluated. The message names the template
 * text, the position (1-based line and column, in UTF-16 code units) and the reason, in the form
 * `template "{{ .Nope }}": 1:4: map has no entry for key "Nope": …`.
 */
export class TemplateError extends Error {
    /** The whole template text. */
    readonly template: string;
    readonly phase: TemplateErrorPhase;
    /** 1-based line of the problem. */
    readonly line: number;
    /** 1-based column of the problem, in UTF-16 code units from the start of the line. */
    readonly column: number;
    /** The reason alone, without the template text and position. */
    readonly reason: string;

    constructor(template: string, phase: TemplateErrorPhase, offset: number, reason: string, options?: ErrorOptions) {
        const { line, column } = positionOf(template, offset);
        super(`template ${quoteGoString(template)}: ${line}:${column}: ${reason}`, options);
        this.name = "TemplateError";
        this.template = template;
        this.phase = phase;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }
}

/** Converts an offset in the text into a 1-based line and column. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
    const lineStart = before.lastIndexOf("\n") + 1;
    const line = before.split("\n").length;
    return { line, column: before.length - lineStart + 1 };
}

/**
 * An execution failure raised below the evaluator (in a function or the printer). The evaluator
 * adds the template text and the position of the action and rethrows it as a {@link TemplateError}.
 */
export class EvaluationFailure extends Error {
    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = "EvaluationFailure";
    }
}
