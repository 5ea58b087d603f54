import { createHash } from "node:crypto";
import * as fs from "node:fs/promises";
import { FingerprintError } from "./errors";

/** Files read at the same time: enough to keep the disk busy, few enough to stay far below the open-file limit. */
const maxConcurrentReads = 32;

/**
 * Computes SHA-256 digests of file contents, reading each path at most once per instance and
 * never more than `maxConcurrentReads` files at a time. Use one instance per fingerprint, so that
 * the next fingerprint reads every file again.
 */
export class FileDigester {
    private readonly digests = new Map<string, Promise<string>>();
    private readonly waiting: (() => void)[] = [];
    private reading = 0;

    /** Returns `sha256:<hex>` of the file's content; symbolic links are followed. */
    digestFile(absolutePath: string): Promise<string> {
        let digest = this.digests.get(absolutePath);
        if (!digest) {
            digest = this.withReadSlot(() => digestFileContent(absolutePath));
            this.digests.set(absolutePath, digest);
        }
        return digest;
    }

    private async withReadSlot<T>(read: () => Promise<T>): Promise<T> {
        if (this.reading < maxConcurrentReads) {
            this.reading++;
        } else {
            // The finishing read hands its slot over, so `reading` stays unchanged.
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        }
        try {
            return await read();
        } finally {
            const next = this.waiting.shift();
            if (next) next();
            else this.reading--;
        }
    }
}

async function digestFileContent(absolutePath: string): Promise<string> {
    const hash = createHash("sha256");
    try {
        const file = await fs.open(absolutePath, "r");
        try {
            // Streaming keeps large embedded files out of memory.
            for await (const chunk of file.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
        } finally {
            await file.close();
        }
    } catch (error) {
        throw new FingerprintError(`reading ${absolutePath} failed: ${(error as Error).message}; check that the file exists and is readable`, { cause: error });
    }
    return `sha256:${hash.digest("hex")}`;
}

/**
 * Returns `sha256:<hex>` of a list of named digests, independent of their order: the entries
 * are sorted by name and each is written as `name NUL digest LF`.
 */
export function digestNamedEntries(entries: Iterable<readonly [string, string]>): string {
    const hash = createHash("sha256");
    const sorted = [...entries].sort(([a], [b]) => compareStrings(a, b));
    for (const [name, digest] of sorted) hash.update(`${name}\0${digest}\n`);
    return `sha256:${hash.digest("hex")}`;
}

/** Returns `sha256:<hex>` of a JSON value whose object keys the caller already sorted. */
export function digestJson(value: unknown): string {
    return `sha256:${createHash("sha256").update(JSON.stringify(value)).digest("hex")}`;
}

/** Orders strings by UTF-16 code units, the same way on every machine and locale. */
export function compareStrings(a: string, b: string): number {
    if (a < b) return -1;
    if (a > b) return 1;
    return 0;
}

/** Copies a record with its keys in `compareStrings` order, so JSON output is canonical. */
export function sortRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
    const sorted: Record<string, T> = {};
    for (const key of Object.keys(record).sort(compareStrings)) sorted[key] = record[key];
    return sorted;
}
