/** One problem in a configuration file, located precisely enough to fix it without searching. */
export interface ConfigProblem {
    /** Path of the file as the user gave it. */
    readonly file: string;
    /** 1-based line of the offending value or key; 0 when the file itself is at fault. */
    readonly line: number;
    /** 1-based column. */
    readonly column: number;
    /** Key path in the file, such as `kos[1].sbom`; empty for the whole file. */
    readonly keyPath: string;
    /** Description of the problem and its fix, including the offending value. */
    readonly message: string;
}

/** Formats a problem as `file:line:column: key: message`, the form editors and CI logs link. */
export function formatProblem(problem: ConfigProblem): string {
    const position = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
    return problem.keyPath === "" ? `${position}: ${problem.message}` : `${position}: ${problem.keyPath}: ${problem.message}`;
}

/** Raised when a configuration file is missing, unreadable or invalid; lists every problem found. */
export class ConfigError extends Error {
    readonly problems: readonly ConfigProblem[];

    constructor(file: string, problems: readonly ConfigProblem[]) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(`invalid GoReleaser configuration ${file} (${count}):\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
        this.name = "ConfigError";
        this.problems = problems;
    }
}

/** Formats a key path from its segments: `["kos", 1, "sbom"]` becomes `kos[1].sbom`. */
export function formatKeyPath(path: readonly (string | number | symbol)[]): string {
    let text = "";
    for (const segment of path) {
        if (typeof segment === "number") {
            text += `[${segment}]`;
        } else {
            text += text === "" ? String(segment) : `.${String(segment)}`;
        }
    }
    return text;
}

/** Shows a value as it would appear in YAML or JSON, shortened to stay on one line. */
export function showValue(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
