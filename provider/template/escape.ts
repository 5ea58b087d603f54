// Escapers of Go's standard library that templates reach: text/template's html and js functions,
// net/url's QueryEscape (urlquery) and PathEscape (GoReleaser's urlPathEscape).

import { isPrintable } from "./quote";

/** Escapes `< > & ' "` and NUL as text/template's html function does. */
export function escapeHtml(text: string): string {
    const replacements: Record<string, string> = { "\0": "\uFFFD", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" };
    return text.replace(/[\0"'&<>]/g, (character) => replacements[character]);
}

/** Escapes text for a JavaScript string literal as text/template's js function does. */
export function escapeJavaScript(text: string): string {
    const replacements: Record<string, string> = {
        "\\": "\\\\",
        "'": "\\'",
        '"': '\\"',
        "<": "\\u003C",
        ">": "\\u003E",
        "&": "\\u0026",
        "=": "\\u003D",
    };
    let output = "";
    for (const character of text) {
        const codePoint = character.codePointAt(0) ?? 0;
        if (Object.hasOwn(replacements, character)) output += replacements[character];
        else if (codePoint < 0x20) output += `\\u00${codePoint.toString(16).toUpperCase().padStart(2, "0")}`;
        else if (codePoint >= 0x80 && !isPrintable(character)) output += `\\u${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
        else output += character;
    }
    return output;
}

/** Percent-encodes every UTF-8 byte except those `keep` accepts, with upper-case hex digits as Go writes them. */
function percentEncode(text: string, keep: (byte: number) => boolean, spaceAsPlus: boolean): string {
    let output = "";
    for (const byte of Buffer.from(text, "utf8")) {
        if (keep(byte)) output += String.fromCharCode(byte);
        else if (byte === 0x20 && spaceAsPlus) output += "+";
        else output += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
    return output;
}

/** RFC 3986 unreserved characters: letters, digits and `- . _ ~`. */
function isUnreserved(byte: number): boolean {
    const character = String.fromCharCode(byte);
    return /^[A-Za-z0-9\-._~]$/.test(character);
}

/** Escapes text for a URL query component as Go's url.QueryEscape does (a space becomes `+`). */
export function escapeUrlQuery(text: string): string {
    return percentEncode(text, isUnreserved, true);
}

/** Escapes text for one URL path segment as Go's url.PathEscape does: `/`, `;`, `,` and `?` are escaped, `$&+:=@` are kept. */
export function escapeUrlPath(text: string): string {
    return percentEncode(text, (byte) => isUnreserved(byte) || "$&+:=@".includes(String.fromCharCode(byte)), false);
}
