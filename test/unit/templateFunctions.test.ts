import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import * as zlib from "node:zlib";
import {
    applyTemplate,
    emptyTemplateContext,
    formatDateWithGoLayout,
    incrementSemver,
    parseSemver,
    SemverError,
    TemplateError,
    type TemplateContext,
} from "../../provider/template";
import { writeTempFiles } from "../support/paths";

const now = new Date(Date.UTC(2026, 7, 22, 9, 52, 43, 123));
const context: TemplateContext = {
    ...emptyTemplateContext(now),
    ProjectName: "acme",
    Version: "1.2.3",
    Tag: "v1.2.3",
    Env: { HOME: "/home/user", EMPTY: "", REGISTRY: "kind.local" },
};

/** The current folder of file-reading functions: a temporary folder with a few files. */
const filesDir = writeTempFiles({ "notes.txt": "  hello notes \n\n", "data.bin": "checksum me\n", "sub/file.txt": "nested" });
after(() => fs.rmSync(filesDir, { recursive: true, force: true }));

function apply(text: string): string {
    return applyTemplate(text, context, { clock: () => now, workingDir: filesDir });
}

function applyError(text: string): TemplateError {
    try {
        apply(text);
    } catch (error) {
        assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
        return error;
    }
    assert.fail(`expected ${JSON.stringify(text)} to fail`);
}

interface OutputCase {
    readonly description: string;
    readonly text: string;
    readonly expected: string;
}

function outputCases(title: string, cases: readonly OutputCase[]): void {
    describe(title, () => {
        for (const { description, text, expected } of cases) {
            it(description, () => {
                assert.equal(apply(text), expected);
            });
        }
    });
}

outputCases("template string functions", [
    { description: "replace", text: '{{ replace "a-b-c" "-" "_" }}', expected: "a_b_c" },
    { description: "replace with an empty old string", text: '{{ replace "abc" "" "-" }}', expected: "-a-b-c-" },
    { description: "split", text: '{{ split "a,b,,c" "," }}', expected: "[a b  c]" },
    { description: "split with an empty separator", text: '{{ split "abc" "" }}', expected: "[a b c]" },
    { description: "contains", text: '{{ contains "foobar" "oba" }} {{ contains "foo" "x" }}', expected: "true false" },
    { description: "tolower", text: '{{ tolower "ÀBC" }}', expected: "àbc" },
    { description: "toupper", text: '{{ toupper "àbc" }}', expected: "ÀBC" },
    { description: "toupper keeps ß as Go does", text: '{{ toupper "straße" }}', expected: "STRAßE" },
    { description: "trim", text: '{{ trim "  \\t x y \\n" }}', expected: "x y" },
    { description: "trim keeps a byte order mark as Go does", text: '{{ trim "\\ufeffx " }}', expected: "\ufeffx" },
    { description: "trimprefix", text: '{{ trimprefix "v1.2.3" "v" }}|{{ trimprefix "1.2.3" "v" }}|{{ trimprefix "vv1" "v" }}', expected: "1.2.3|1.2.3|v1" },
    { description: "trimsuffix", text: '{{ trimsuffix "a.tar.gz" ".gz" }}|{{ trimsuffix "a" "" }}', expected: "a.tar|a" },
    { description: "title", text: '{{ title "hello WORLD it\'s foo-bar x86_64 1st" }}', expected: "Hello World It's Foo-Bar X86_64 1St" },
    { description: "title of special letters", text: '{{ title "ǆemal straße ﬁsh" }}', expected: "ǅemal Straße Fish" },
    { description: "mdv2escape", text: '{{ mdv2escape "a_b*[c](d)~`>#+-=|{}.!" }}', expected: "a\\_b\\*\\[c\\]\\(d\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!" },
    { description: "urlPathEscape", text: '{{ urlPathEscape "a b&c=d/é;,?$+:@~" }}', expected: "a%20b&c=d%2F%C3%A9%3B%2C%3F$+:@~" },
    { description: "englishJoin of one", text: '{{ englishJoin (list "a") }}', expected: "a" },
    { description: "englishJoin of two", text: '{{ englishJoin (list "a" "b") }}', expected: "a and b" },
    { description: "englishJoin of three", text: '{{ englishJoin (list "a" "b" "c") }}', expected: "a, b, and c" },
    { description: "englishJoin skips blanks", text: '{{ englishJoin (list "a" " " "" "b") }}', expected: "a and b" },
    { description: "list", text: '{{ list "a" "b" }}', expected: "[a b]" },
    { description: "map", text: '{{ map "b" "2" "a" "1" }}', expected: "map[a:1 b:2]" },
    { description: "index of map", text: '{{ index (map "a" "1") "a" }}', expected: "1" },
    { description: "indexOrDefault with the key", text: '{{ indexOrDefault (map "a" "1") "a" "x" }}', expected: "1" },
    { description: "indexOrDefault without the key", text: '{{ indexOrDefault (map "a" "1") "b" "x" }}', expected: "x" },
    { description: "indexOrDefault on the environment", text: '{{ indexOrDefault .Env "HOME" "x" }}', expected: "/home/user" },
]);

outputCases("template environment functions", [
    { description: "envOrDefault of a set variable", text: '{{ envOrDefault "HOME" "x" }}', expected: "/home/user" },
    { description: "envOrDefault of an empty variable", text: '[{{ envOrDefault "EMPTY" "x" }}]', expected: "[]" },
    { description: "envOrDefault of an absent variable", text: '{{ envOrDefault "NOPE" "def" }}', expected: "def" },
    { description: "isEnvSet", text: '{{ isEnvSet "HOME" }} {{ isEnvSet "EMPTY" }} {{ isEnvSet "NOPE" }}', expected: "true false false" },
]);

outputCases("template path functions", [
    { description: "dir", text: '{{ dir "a/b/c" }}|{{ dir "a/b/" }}|{{ dir "" }}|{{ dir "/" }}|{{ dir "a" }}|{{ dir "/a/../b" }}', expected: "a/b|a/b|.|/|.|/" },
    { description: "base", text: '{{ base "a/b/c" }}|{{ base "a/b/" }}|{{ base "" }}|{{ base "///" }}|{{ base "a" }}', expected: "c|b|.|/|a" },
    { description: "join", text: '{{ join "a" "b/c" "../d" }}|{{ join "" "" }}|{{ join "a/" "" "b" }}', expected: "a/b/d||a/b" },
    { description: "abs of an absolute path", text: '{{ abs "/x/../y" }}', expected: "/y" },
    { description: "abs of a relative path", text: '{{ abs "sub/./file.txt" }}', expected: path.join(filesDir, "sub/file.txt") },
]);

outputCases("template version functions", [
    { description: "incmajor", text: '{{ incmajor "v1.2.3" }}', expected: "v2.0.0" },
    { description: "incminor", text: '{{ incminor "1.2.3" }}', expected: "1.3.0" },
    { description: "incpatch", text: '{{ incpatch "v1.2.3" }}', expected: "v1.2.4" },
    { description: "incpatch of a pre-release", text: '{{ incpatch "v1.2.3-rc.1" }}', expected: "v1.2.3" },
    { description: "incminor drops metadata", text: '{{ incminor "1.2.3+build.5" }}', expected: "1.3.0" },
    { description: "incpatch of a short version", text: '{{ incpatch "1.2" }}', expected: "1.2.1" },
    { description: "incpatch of the tag", text: "{{ incpatch .Tag }}", expected: "v1.2.4" },
]);

outputCases("template filter functions", [
    { description: "filter keeps matching lines", text: '{{ filter "foo\\nbar\\nbaz" "^ba" }}', expected: "bar\nbaz" },
    { description: "reverseFilter drops them", text: '{{ reverseFilter "foo\\nbar\\nbaz" "^ba" }}', expected: "foo" },
    { description: "POSIX classes", text: '{{ filter "a1\\nb\\nc22" "[[:digit:]]+" }}', expected: "a1\nc22" },
    { description: "escaped dot", text: '{{ filter "x.y\\nxzy" "x\\\\.y" }}', expected: "x.y" },
    { description: "negated class", text: '{{ filter "ab\\nAB" "[^a-z]" }}', expected: "AB" },
    { description: "stacked repetition as POSIX reads it", text: '{{ filter "b\\nx" "a*?" }}', expected: "b\nx" },
    { description: "counted repetition", text: '{{ filter "aaa\\nab" "a{2,3}" }}', expected: "aaa" },
    { description: "a brace that is not a repetition", text: '{{ filter "a{1\\nb" "a{1" }}', expected: "a{1" },
    { description: "alternation", text: '{{ filter "a\\nb\\nc" "a|c" }}', expected: "a\nc" },
]);

describe("template filter rejects", () => {
    const cases = [
        { description: "Perl digit classes", pattern: "\\\\d", reason: /invalid escape sequence `\\d`.*\[\[:digit:\]\]/ },
        { description: "Perl flags", pattern: "(?i)a", reason: /`\(\?…\)` are Perl syntax/ },
        { description: "an unclosed group", pattern: "(", reason: /invalid regular expression "\("/ },
    ];
    for (const { description, pattern, reason } of cases) {
        it(description, () => {
            assert.match(applyError(`{{ filter "a" "${pattern}" }}`).reason, reason);
        });
    }
});

describe("template time function", () => {
    const cases = [
        { layout: "2006-01-02", expected: "2026-08-22" },
        { layout: "20060102150405", expected: "20260822095243" },
        { layout: "2006-01-02T15:04:05Z07:00", expected: "2026-08-22T09:52:43Z" },
        { layout: "Mon Jan _2 15:04:05 MST 2006", expected: "Sat Aug 22 09:52:43 UTC 2026" },
        { layout: "Monday, January 2, 06", expected: "Saturday, August 22, 26" },
        { layout: "3:04PM 03 pm", expected: "9:52AM 09 am" },
        { layout: "15:04:05.000 .999 ,000 .000000", expected: "09:52:43.123 .123 ,123 .123000" },
        { layout: "-07:00 -0700 Z0700 -07", expected: "+00:00 +0000 Z +00" },
        { layout: "002 __2 _2 2", expected: "234 234 22 22" },
        { layout: "Janet Month", expected: "Janet Month" },
    ];
    for (const { layout, expected } of cases) {
        it(`formats ${JSON.stringify(layout)}`, () => {
            assert.equal(apply(`{{ time ${JSON.stringify(layout)} }}`), expected);
        });
    }

    it("reads the clock at each call", () => {
        let calls = 0;
        const clock = () => new Date(Date.UTC(2026, 0, 1, 0, 0, ++calls));
        assert.equal(applyTemplate('{{ time "05" }}{{ time "05" }}', context, { clock }), "0102");
    });

    it("matches the exported formatter", () => {
        assert.equal(formatDateWithGoLayout(now, "2006"), "2026");
    });
});

describe("template file functions", () => {
    it("readFile trims the content", () => {
        assert.equal(apply('{{ readFile "notes.txt" }}'), "hello notes");
    });

    it("readFile of a missing file is empty", () => {
        assert.equal(apply('[{{ readFile "missing.txt" }}]'), "[]");
    });

    it("mustReadFile reads a nested file", () => {
        assert.equal(apply('{{ mustReadFile "sub/file.txt" }}'), "nested");
    });

    it("mustReadFile of a missing file fails", () => {
        assert.match(applyError('{{ mustReadFile "missing.txt" }}').reason, /error calling mustReadFile: mustReadFile: cannot read "missing\.txt".*no such file/);
    });

    it("readFile expands the home directory", () => {
        const home = fs.mkdtempSync(path.join(os.homedir(), ".pulumi-kos-template-test-"));
        try {
            fs.writeFileSync(path.join(home, "token"), "secret\n");
            assert.equal(apply(`{{ readFile "~/${path.basename(home)}/token" }}`), "secret");
        } finally {
            fs.rmSync(home, { recursive: true, force: true });
        }
    });

    const content = fs.readFileSync(path.join(filesDir, "data.bin"));
    const hashes = [
        { name: "md5", algorithm: "md5" },
        { name: "sha1", algorithm: "sha1" },
        { name: "sha224", algorithm: "sha224" },
        { name: "sha256", algorithm: "sha256" },
        { name: "sha384", algorithm: "sha384" },
        { name: "sha512", algorithm: "sha512" },
        { name: "sha3_224", algorithm: "sha3-224" },
        { name: "sha3_256", algorithm: "sha3-256" },
        { name: "sha3_384", algorithm: "sha3-384" },
        { name: "sha3_512", algorithm: "sha3-512" },
        { name: "blake2b", algorithm: "blake2b512" },
        { name: "blake2s", algorithm: "blake2s256" },
    ];
    for (const { name, algorithm } of hashes) {
        it(`${name} hashes the file`, () => {
            assert.equal(apply(`{{ ${name} "data.bin" }}`), crypto.createHash(algorithm).update(content).digest("hex"));
        });
    }

    it("sha256 of a known text", () => {
        assert.equal(apply('{{ sha256 "sub/file.txt" }}'), crypto.createHash("sha256").update("nested").digest("hex"));
    });

    it("crc32 prints eight hex digits", () => {
        const crc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;
        if (!crc32) return;
        assert.equal(apply('{{ crc32 "data.bin" }}'), crc32(content).toString(16).padStart(8, "0"));
    });

    it("blake3 is reported as unsupported", () => {
        assert.match(applyError('{{ blake3 "data.bin" }}').reason, /blake3 is not supported/);
    });

    it("a checksum of a missing file fails", () => {
        assert.match(applyError('{{ sha256 "missing.bin" }}').reason, /cannot read "missing\.bin"/);
    });
});

describe("template function errors", () => {
    const cases = [
        { description: "incpatch of a non-version", text: '{{ incpatch "main" }}', reason: /error calling incpatch: "main" is not a semantic version/ },
        { description: "map with an odd count", text: '{{ map "a" }}', reason: /map expects even number of arguments, got 1/ },
        { description: "englishJoin of a string", text: '{{ englishJoin "a" }}', reason: /expected \[\]string; found "a"/ },
        { description: "indexOrDefault of the root", text: '{{ indexOrDefault . "Version" "x" }}', reason: /expected map\[string\]string; got map\[string\]interface \{\}/ },
    ];
    for (const { description, text, reason } of cases) {
        it(`rejects ${description}`, () => {
            assert.match(applyError(text).reason, reason);
        });
    }
});

describe("parseSemver", () => {
    const valid = [
        { text: "v1.2.3", major: 1n, minor: 2n, patch: 3n, prerelease: "" },
        { text: "1.2.3-rc.1+build.5", major: 1n, minor: 2n, patch: 3n, prerelease: "rc.1" },
        { text: "1.2", major: 1n, minor: 2n, patch: 0n, prerelease: "" },
        { text: "v2", major: 2n, minor: 0n, patch: 0n, prerelease: "" },
    ];
    for (const { text, major, minor, patch, prerelease } of valid) {
        it(`parses ${text}`, () => {
            const version = parseSemver(text);
            assert.equal(version.major, major);
            assert.equal(version.minor, minor);
            assert.equal(version.patch, patch);
            assert.equal(version.prerelease, prerelease);
        });
    }

    for (const text of ["main", "", "V1.2.3", "1.2.3.4", "1.2.3-01", "1.2.3-", "v1.2.3 "]) {
        it(`rejects ${JSON.stringify(text)}`, () => {
            assert.throws(() => parseSemver(text), SemverError);
        });
    }

    it("keeps the v prefix when incrementing", () => {
        assert.equal(incrementSemver("v0.9.9", "minor"), "v0.10.0");
    });
});
