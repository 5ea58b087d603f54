import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from "yaml";

/** 1-based position in a YAML file. */
export interface Position {
    readonly line: number;
    readonly column: number;
}

/**
 * Finds where a key path sits in a parsed document. The position is that of the value, or of
 * the key when `atKey` is set. When the path does not exist, it is that of its deepest existing parent.
 */
export function locate(
    document: Document,
    lines: LineCounter,
    path: readonly (string | number | symbol)[],
    options: { atKey?: boolean } = {},
): Position {
    let node: unknown = document.contents;
    let found: Node | undefined = document.contents ?? undefined;

    for (const [index, segment] of path.entries()) {
        if (isMap(node)) {
            const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === segment);
            if (!pair) break;
            const isLast = index === path.length - 1;
            const target = (options.atKey && isLast) || pair.value === null ? pair.key : pair.value;
            found = target as Node;
            node = target;
        } else if (isSeq(node) && typeof segment === "number") {
            const item = node.items[segment];
            if (item === undefined) break;
            found = item as Node;
            node = item;
        } else {
            break;
        }
    }
    return positionOf(found, lines);
}

function positionOf(node: Node | undefined, lines: LineCounter): Position {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
}
