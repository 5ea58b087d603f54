// GoReleaser's own template functions (v2.17), apart from those that read files (fileFunctions.ts).

import { EvaluationFailure } from "./errors";
import { escapeUrlPath } from "./escape";
import type { TemplateFunction } from "./functionTypes";
import { absolutePath, basePath, dirPath, joinPath } from "./goPath";
import { compilePosixRegex, PosixRegexError } from "./posixRegex";
import { incrementSemver, SemverError, type SemverPart } from "./semver";
import { changeCase, replaceAllStrings, splitString, trimSpace } from "./strings";
import { formatGoTime } from "./timeFormat";
import { titleCase } from "./titleCase";
import { GoMap, GoTime, type GoValue } from "./values";

/** Keeps (or, with `reverse`, drops) the lines that match a POSIX regular expression. */
function filterLines(content: string, pattern: string, reverse: boolean): string {
    let expression: RegExp;
    try {
        expression = compilePosixRegex(pattern);
    } catch (error) {
        if (error instanceof PosixRegexError) throw new EvaluationFailure(error.message);
        throw error;
    }
    return content
        .split("\n")
        .filter((line) => expression.test(line) !== reverse)
        .join("\n");
}

function increment(version: string, part: SemverPart): string {
    try {
        return incrementSemver(version, part);
    } catch (error) {
        if (error instanceof SemverError) throw new EvaluationFailure(error.message);
        throw error;
    }
}

/** Escapes the characters that Telegram's MarkdownV2 reserves. */
function escapeMarkdownV2(text: string): string {
    return text.replace(/[_*[\]()~`>#+\-=|{}.!]/g, (character) => `\\${character}`);
}

/** Joins words as English prose: "a", "a and b", "a, b, and c". Blank items are left out. */
function englishJoin(items: readonly string[]): string {
    const words = items.filter((item) => trimSpace(item) !== "");
    if (words.length <= 2) return words.join(" and ");
    return `${words.slice(0, -1).join(", ")}, and ${words[words.length - 1]}`;
}

function makeMap(pairs: readonly GoValue[]): GoMap {
    if (pairs.length % 2 !== 0) {
        throw new EvaluationFailure(`map expects even number of arguments, got ${pairs.length}: pass keys and values in pairs, such as map "key" "value"`);
    }
    const entries = new Map<string, GoValue>();
    for (let index = 0; index < pairs.length; index += 2) entries.set(pairs[index] as string, pairs[index + 1]);
    return new GoMap("map[string]string", entries);
}

const text = (value: GoValue): string => value as string;

/** GoReleaser's template functions that do not read files. */
export const goreleaserFunctions: readonly TemplateFunction[] = [
    { name: "replace", parameters: ["string", "string", "string"], call: ([value, old, replacement]) => replaceAllStrings(text(value), text(old), text(replacement)) },
    { name: "split", parameters: ["string", "string"], call: ([value, separator]) => splitString(text(value), text(separator)) },
    {
        name: "time",
        parameters: ["string"],
        volatile: true,
        call: ([layout], environment) => formatGoTime(GoTime.fromDate(environment.clock()), text(layout)),
    },
    { name: "contains", parameters: ["string", "string"], call: ([value, part]) => text(value).includes(text(part)) },
    { name: "tolower", parameters: ["string"], call: ([value]) => changeCase(text(value), "lower") },
    { name: "toupper", parameters: ["string"], call: ([value]) => changeCase(text(value), "upper") },
    { name: "trim", parameters: ["string"], call: ([value]) => trimSpace(text(value)) },
    {
        name: "trimprefix",
        parameters: ["string", "string"],
        call: ([value, prefix]) => (text(value).startsWith(text(prefix)) ? text(value).slice(text(prefix).length) : text(value)),
    },
    {
        name: "trimsuffix",
        parameters: ["string", "string"],
        call: ([value, suffix]) =>
            text(suffix) !== "" && text(value).endsWith(text(suffix)) ? text(value).slice(0, -text(suffix).length) : text(value),
    },
    { name: "title", parameters: ["string"], call: ([value]) => titleCase(text(value)) },
    { name: "dir", parameters: ["string"], call: ([value]) => dirPath(text(value)) },
    { name: "base", parameters: ["string"], call: ([value]) => basePath(text(value)) },
    { name: "abs", parameters: ["string"], call: ([value], environment) => absolutePath(text(value), environment.workingDir) },
    { name: "join", parameters: [], variadic: "string", call: (elements) => joinPath(elements.map(text)) },
    { name: "incmajor", parameters: ["string"], call: ([version]) => increment(text(version), "major") },
    { name: "incminor", parameters: ["string"], call: ([version]) => increment(text(version), "minor") },
    { name: "incpatch", parameters: ["string"], call: ([version]) => increment(text(version), "patch") },
    { name: "filter", parameters: ["string", "string"], call: ([content, pattern]) => filterLines(text(content), text(pattern), false) },
    { name: "reverseFilter", parameters: ["string", "string"], call: ([content, pattern]) => filterLines(text(content), text(pattern), true) },
    { name: "mdv2escape", parameters: ["string"], call: ([value]) => escapeMarkdownV2(text(value)) },
    {
        name: "envOrDefault",
        parameters: ["string", "string"],
        // The default applies only when the variable is absent: a variable set to "" gives "".
        call: ([name, fallback], environment) => (environment.env.has(text(name)) ? (environment.env.get(text(name)) as string) : text(fallback)),
    },
    {
        name: "isEnvSet",
        parameters: ["string"],
        call: ([name], environment) => environment.env.has(text(name)) && environment.env.get(text(name)) !== "",
    },
    { name: "map", parameters: [], variadic: "string", call: (pairs) => makeMap(pairs) },
    {
        name: "indexOrDefault",
        parameters: ["stringMap", "string", "string"],
        call: ([map, key, fallback]) => {
            const value = (map as GoMap).get(text(key));
            return value === undefined ? text(fallback) : value;
        },
    },
    { name: "urlPathEscape", parameters: ["string"], call: ([value]) => escapeUrlPath(text(value)) },
    { name: "englishJoin", parameters: ["stringList"], call: ([items]) => englishJoin((items as readonly GoValue[]).map(text)) },
    { name: "list", parameters: [], variadic: "string", call: (items) => [...items] },
];
