import { LineCounter, type Document } from "yaml";
import type { z } from "zod";
import { imageFields } from "../spec/fields";
import { locate } from "./locate";
import { formatKeyPath, showValue, type ConfigProblem } from "./problems";

/** Collects problems and warnings with their positions in one file. */
export class LoadContext {
    readonly problems: ConfigProblem[] = [];
    readonly warnings: string[] = [];

    constructor(
        private readonly file: string,
        private readonly document: Document,
        private readonly lines: LineCounter,
    ) {}

    addProblem(keyPath: readonly (string | number)[], message: string, options: { atKey?: boolean } = {}): void {
        const { line, column } = locate(this.document, this.lines, keyPath, options);
        this.problems.push({ file: this.file, line, column, keyPath: formatKeyPath(keyPath), message });
    }

    addWarning(keyPath: readonly (string | number)[], message: string): void {
        const { line, column } = locate(this.document, this.lines, keyPath);
        this.warnings.push(`${this.file}:${line}:${column}: ${formatKeyPath(keyPath)}: ${message}`);
    }

    addSchemaIssue(issue: z.core.$ZodIssue): void {
        const issuePath = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
        if (issue.code === "unrecognized_keys") {
            const acceptedKeys = issuePath[0] === "kos" ? acceptedKosKeys() : [];
            for (const key of issue.keys) {
                const suggestion = closestKey(key, acceptedKeys);
                const hint = suggestion ? `; did you mean ${suggestion}?` : "";
                const accepted = acceptedKeys.length > 0 ? ` Accepted keys: ${acceptedKeys.join(", ")}` : "";
                this.addProblem([...issuePath, key], `unknown key${hint}${accepted}`, { atKey: true });
            }
            return;
        }
        const value = valueAt(this.document.toJS(), issuePath);
        const gotValue = value === undefined ? "" : ` (got ${showValue(value)})`;
        this.addProblem(issuePath, `${describeIssue(issue)}${gotValue}`);
    }
}

function acceptedKosKeys(): string[] {
    return ["id", "build", ...imageFields.map((field) => field.kosKey), "repository", "local_domain", "disable"];
}

/** Returns the accepted key closest to a misspelt one, when at most two edits apart. */
function closestKey(key: string, accepted: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = 3;
    for (const candidate of accepted) {
        const distance = editDistance(key, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

function describeIssue(issue: z.core.$ZodIssue): string {
    if (issue.code === "invalid_type") return `invalid type: expected ${issue.expected}`;
    if (issue.code === "invalid_union") return "invalid type: expected a string or a list of strings";
    return issue.message;
}

function valueAt(root: unknown, keyPath: readonly (string | number)[]): unknown {
    let value = root;
    for (const segment of keyPath) {
        if (value === null || typeof value !== "object") return undefined;
        value = (value as Record<string | number, unknown>)[segment];
    }
    return value;
}

