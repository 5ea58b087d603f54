// The Go values a template works with, modelled in TypeScript:
//
//   Go                        TypeScript
//   string                    string
//   bool                      boolean
//   int, int64, uint64        bigint (exact to 64 bits, where a number would round above 2^53)
//   float64                   number
//   untyped nil               null
//   []string, []any           GoValue[]
//   map[string]string, …      GoMap
//   struct (context.Runtime)  GoStruct
//   time.Time                 GoTime

/** A value that a template reads, computes or prints. */
export type GoValue = string | boolean | bigint | number | null | readonly GoValue[] | GoMap | GoStruct | GoTime;

/** Receives the name of every field or key read from the template data, such as `Version` or `Env.HOME`. */
export type ReadListener = (path: string) => void;

/**
 * Location of a map or struct in the template data, so that reads from it can be reported. `path`
 * is empty for the data root and `Env` for `.Env`.
 */
export interface ReadTracking {
    readonly path: string;
    readonly listener: ReadListener;
}

function trackedPath(tracking: ReadTracking, key: string): string {
    return tracking.path === "" ? key : `${tracking.path}.${key}`;
}

/** A Go map with string keys. Reads through its methods are reported to its tracking listener. */
export class GoMap {
    constructor(
        /** The Go type, shown in messages, such as `map[string]string` or `context.Env`. */
        readonly typeName: string,
        private readonly entries: ReadonlyMap<string, GoValue>,
        private readonly tracking?: ReadTracking,
    ) {}

    get size(): number {
        return this.entries.size;
    }

    /** Returns the value of `key`, or undefined when the map has no such key. */
    get(key: string): GoValue | undefined {
        if (this.tracking) this.tracking.listener(trackedPath(this.tracking, key));
        return this.entries.get(key);
    }

    has(key: string): boolean {
        if (this.tracking) this.tracking.listener(trackedPath(this.tracking, key));
        return this.entries.has(key);
    }

    /** Returns the keys in Go's order for maps (byte-wise for strings), without reporting a read. */
    sortedKeys(): string[] {
        return [...this.entries.keys()].sort(compareGoStrings);
    }

    /** Returns the entries in Go's order for maps; every key counts as read. */
    sortedEntries(): [string, GoValue][] {
        return this.sortedKeys().map((key) => [key, this.get(key) as GoValue]);
    }
}

/** A Go struct value, such as GoReleaser's `context.Runtime`. */
export class GoStruct {
    constructor(
        readonly typeName: string,
        /** Fields in declaration order. */
        private readonly fields: ReadonlyMap<string, GoValue>,
        private readonly tracking?: ReadTracking,
    ) {}

    /** Returns the field's value, or undefined when the struct has no such field. */
    get(name: string): GoValue | undefined {
        if (this.fields.has(name) && this.tracking) this.tracking.listener(trackedPath(this.tracking, name));
        return this.fields.get(name);
    }

    /** Returns the fields in declaration order; every field counts as read. */
    orderedFields(): [string, GoValue][] {
        return [...this.fields.keys()].map((name) => [name, this.get(name) as GoValue]);
    }
}

/** A Go time.Time in UTC, with nanosecond precision. */
export class GoTime {
    constructor(readonly epochNanoseconds: bigint) {}

    static fromDate(date: Date): GoTime {
        return new GoTime(BigInt(date.getTime()) * 1_000_000n);
    }

    /** Whole seconds since the Unix epoch, rounded down as Go's Unix() does. */
    get unixSeconds(): bigint {
        const seconds = this.epochNanoseconds / 1_000_000_000n;
        return this.epochNanoseconds < 0n && seconds * 1_000_000_000n !== this.epochNanoseconds ? seconds - 1n : seconds;
    }

    /** Nanoseconds within the second, 0 to 999 999 999. */
    get nanosecond(): number {
        return Number(this.epochNanoseconds - this.unixSeconds * 1_000_000_000n);
    }

    /** Converts to a JavaScript Date, which keeps milliseconds and drops the finer digits. */
    toDate(): Date {
        return new Date(Number(this.unixSeconds) * 1000 + Math.floor(this.nanosecond / 1_000_000));
    }
}

/** Compares strings by their UTF-8 bytes, the order Go uses for strings and map keys. */
export function compareGoStrings(left: string, right: string): number {
    return Buffer.compare(Buffer.from(left, "utf8"), Buffer.from(right, "utf8"));
}

/** Returns the Go type name of a value, as Go shows it in messages such as `%!d(string=x)`. */
export function goTypeName(value: GoValue): string {
    if (value === null) return "<nil>";
    if (typeof value === "string") return "string";
    if (typeof value === "boolean") return "bool";
    // NOTE: Go distinguishes int, int64 and uint64 (.Major is a uint64, .Timestamp an int64), but
    // all integers are bigint here, so messages such as %!s(uint64=1) read %!s(int=1).
    if (typeof value === "bigint") return "int";
    if (typeof value === "number") return "float64";
    if (Array.isArray(value)) return value.every((item) => typeof item === "string") ? "[]string" : "[]interface {}";
    if (value instanceof GoMap || value instanceof GoStruct) return value.typeName;
    return "time.Time";
}

/**
 * Returns whether a value is true in `if`, `with`, `and`, `or` and `not`: false for the zero value
 * of its type (empty string, 0, false, nil, empty list or map), true otherwise, as Go's
 * template.IsTrue decides.
 */
export function isTrue(value: GoValue): boolean {
    if (value === null) return false;
    if (typeof value === "string") return value !== "";
    if (typeof value === "boolean") return value;
    if (typeof value === "bigint") return value !== 0n;
    if (typeof value === "number") return value !== 0;
    if (Array.isArray(value)) return value.length > 0;
    if (value instanceof GoMap) return value.size > 0;
    return true;
}

/** Returns the length of a string in UTF-8 bytes, as Go's `len` counts. */
export function byteLength(text: string): number {
    return Buffer.byteLength(text, "utf8");
}
