import { compareStrings, digestJson, sortRecord } from "./digest";
import type { SourceFingerprint } from "./fingerprint";

/**
 * Lists the entries that differ between two fingerprints, sorted: `goVersion`, `kodata`,
 * `pgoProfile`, `platforms`, `settings`, and `packages[<import path>]` or `modules[<key>]` for
 * each package or module that was added, removed or changed. An empty list means that ko would
 * read the same sources with the same settings.
 */
export function listChangedEntries(before: SourceFingerprint, after: SourceFingerprint): string[] {
    const changed: string[] = [];
    if (before.goVersion !== after.goVersion) changed.push("goVersion");
    if (before.kodata !== after.kodata) changed.push("kodata");
    if (before.pgoProfile !== after.pgoProfile) changed.push("pgoProfile");
    if (before.platforms.join(",") !== after.platforms.join(",")) changed.push("platforms");
    if (before.settings !== after.settings) changed.push("settings");
    changed.push(...changedKeys("packages", before.packages, after.packages));
    changed.push(...changedKeys("modules", before.modules, after.modules));
    return changed.sort(compareStrings);
}

function changedKeys(field: string, before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].filter((key) => before[key] !== after[key]).map((key) => `${field}[${key}]`);
}

/**
 * Returns one `sha256:<hex>` digest of a whole fingerprint, for callers that only need to know
 * whether anything changed. Equal fingerprints give equal digests, whatever their key order.
 */
export function digestSourceFingerprint(fingerprint: SourceFingerprint): string {
    return digestJson({
        goVersion: fingerprint.goVersion,
        kodata: fingerprint.kodata ?? null,
        modules: sortRecord(fingerprint.modules),
        packages: sortRecord(fingerprint.packages),
        pgoProfile: fingerprint.pgoProfile ?? null,
        platforms: [...fingerprint.platforms].sort(compareStrings),
        settings: fingerprint.settings,
    });
}
