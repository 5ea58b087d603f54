// The methods of Go's time.Time that templates call on `.Now`, such as {{ .Now.Format "2006" }}.

import type { ParameterKind } from "./functionTypes";
import { formatDefault } from "./printf";
import { formatGoTime } from "./timeFormat";
import type { GoTime, GoValue } from "./values";

/** A time.Time method: its parameters and its result for one time. */
export interface TimeMethod {
    readonly parameters: readonly ParameterKind[];
    readonly call: (args: readonly GoValue[]) => GoValue;
}

/** Nanoseconds since the Unix epoch of Go's zero time, January 1 of year 1, UTC. */
const zeroTimeNanoseconds = -62135596800n * 1_000_000_000n;

/**
 * Returns the methods of time.Time that templates may call on `time`. Month and Weekday are left
 * out because they return Go named types, which print as names but compare as numbers.
 */
export function timeMethods(time: GoTime): Readonly<Record<string, TimeMethod>> {
    const date = time.toDate();
    const noArguments = (result: () => GoValue): TimeMethod => ({ parameters: [], call: result });
    return {
        Format: { parameters: ["string"], call: ([layout]) => formatGoTime(time, layout as string) },
        String: noArguments(() => formatDefault(time)),
        Unix: noArguments(() => time.unixSeconds),
        UnixMilli: noArguments(() => time.unixSeconds * 1000n + BigInt(Math.floor(time.nanosecond / 1_000_000))),
        UnixNano: noArguments(() => time.epochNanoseconds),
        UTC: noArguments(() => time),
        Year: noArguments(() => BigInt(date.getUTCFullYear())),
        YearDay: noArguments(() => BigInt(Number(formatGoTime(time, "002")))),
        Day: noArguments(() => BigInt(date.getUTCDate())),
        Hour: noArguments(() => BigInt(date.getUTCHours())),
        Minute: noArguments(() => BigInt(date.getUTCMinutes())),
        Second: noArguments(() => BigInt(date.getUTCSeconds())),
        Nanosecond: noArguments(() => BigInt(time.nanosecond)),
        IsZero: noArguments(() => time.epochNanoseconds === zeroTimeNanoseconds),
    };
}
