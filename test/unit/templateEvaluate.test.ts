import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyTemplate, emptyTemplateContext, evaluateTemplate, parseTemplate, TemplateError, type TemplateContext } from "../../provider/template";

const now = new Date(Date.UTC(2026, 7, 22, 9, 52, 43, 123));

/** A release of v1.2.3 on main, with a small environment. */
const release: TemplateContext = {
    ...emptyTemplateContext(now),
    ProjectName: "acme",
    Version: "1.2.3",
    RawVersion: "1.2.3",
    Tag: "v1.2.3",
    PreviousTag: "v1.2.2",
    Major: 1,
    Minor: 2,
    Patch: 3,
    Commit: "0123456789abcdef0123456789abcdef01234567",
    FullCommit: "0123456789abcdef0123456789abcdef01234567",
    ShortCommit: "0123456",
    Branch: "main",
    CommitDate: "2026-08-01T12:00:00Z",
    CommitTimestamp: 1785585600,
    Summary: "v1.2.3",
    GitURL: "https://example.com/acme.git",
    ModulePath: "example.com/acme",
    Runtime: { Goos: "linux", Goarch: "amd64" },
    Env: { HOME: "/home/user", EMPTY: "", REGISTRY: "kind.local" },
};

/** The same project at the pre-release v1.3.0-rc.1. */
const prerelease: TemplateContext = { ...release, Version: "1.3.0-rc.1", RawVersion: "1.3.0", Tag: "v1.3.0-rc.1", Minor: 3, Patch: 0, Prerelease: "rc.1" };

function apply(text: string, context: TemplateContext = release): string {
    return applyTemplate(text, context, { clock: () => now });
}

/** Applies `text` and returns the TemplateError it raises. */
function applyError(text: string, context: TemplateContext = release): TemplateError {
    try {
        apply(text, context);
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
    readonly context?: TemplateContext;
}

function outputCases(title: string, cases: readonly OutputCase[]): void {
    describe(title, () => {
        for (const { description, text, expected, context } of cases) {
            it(description, () => {
                assert.equal(apply(text, context), expected);
            });
        }
    });
}

outputCases("template kos idioms", [
    { description: "tag", text: "{{ .Tag }}", expected: "v1.2.3" },
    { description: "version", text: "{{.Version}}", expected: "1.2.3" },
    { description: "version unless pre-release", text: "{{if not .Prerelease}}{{.Version}}{{end}}", expected: "1.2.3" },
    { description: "nothing for a pre-release", text: "{{if not .Prerelease}}{{.Version}}{{end}}", expected: "", context: prerelease },
    { description: "stable unless pre-release", text: "{{if not .Prerelease}}stable{{end}}", expected: "stable" },
    { description: "latest only for pre-releases", text: "{{if .Prerelease }}latest{{ end }}", expected: "", context: release },
    { description: "commit timestamp", text: "{{.CommitTimestamp}}", expected: "1785585600" },
    { description: "registry from the environment", text: '{{ envOrDefault "REGISTRY" "ghcr.io" }}', expected: "kind.local" },
    { description: "registry default", text: '{{ envOrDefault "REGISTRY" "ghcr.io" }}', expected: "ghcr.io", context: { ...release, Env: {} } },
    { description: "label with the project name", text: "{{.ProjectName}}", expected: "acme" },
    { description: "disable when a variable is unset", text: '{{ not (isEnvSet "FOO") }}', expected: "true" },
    { description: "major and minor tag", text: "v{{ .Major }}.{{ .Minor }}", expected: "v1.2" },
]);

outputCases("template variables", [
    { description: "every string variable", text: "{{.ProjectName}} {{.RawVersion}} {{.PreviousTag}} {{.ShortCommit}} {{.Branch}} {{.CommitDate}} {{.Summary}} {{.GitURL}} {{.ModulePath}}", expected: "acme 1.2.3 v1.2.2 0123456 main 2026-08-01T12:00:00Z v1.2.3 https://example.com/acme.git example.com/acme" },
    { description: "full commit and its deprecated name", text: "{{ eq .Commit .FullCommit }}", expected: "true" },
    { description: "booleans", text: "{{.IsSnapshot}} {{.IsNightly}} {{.IsDraft}} {{.IsSingleTarget}} {{.IsGitClean}} {{.IsGitDirty}} {{.GitTreeState}}", expected: "false false false false true false clean" },
    { description: "start time", text: "{{ .Date }} {{ .Timestamp }}", expected: "2026-08-22T09:52:43Z 1787392363" },
    { description: "now as Go prints a time", text: "{{ .Now }}", expected: "2026-08-22 09:52:43.123 +0000 UTC" },
    { description: "now formatted", text: '{{ .Now.Format "2006-01-02" }}', expected: "2026-08-22" },
    { description: "now in Unix seconds", text: "{{ .Now.Unix }}", expected: "1787392363" },
    { description: "chained runtime fields", text: "{{ .Runtime.Goos }}/{{ .Runtime.Goarch }}", expected: "linux/amd64" },
    { description: "a struct as Go prints it", text: "{{ .Runtime }}", expected: "{linux amd64}" },
    { description: "an environment variable", text: "{{ .Env.HOME }}", expected: "/home/user" },
    { description: "an empty environment variable", text: "[{{ .Env.EMPTY }}]", expected: "[]" },
    { description: "a map as Go prints it", text: "{{ .Env }}", expected: "map[EMPTY: HOME:/home/user REGISTRY:kind.local]" },
    { description: "the root through $", text: "{{ with .Runtime }}{{ $.ProjectName }}-{{ .Goos }}{{ end }}", expected: "acme-linux" },
    { description: "pre-release parts", text: "{{ .Prerelease }} {{ .Minor }}", expected: "rc.1 3", context: prerelease },
    { description: "release notes default", text: "[{{ .ReleaseNotes }}{{ .ReleaseURL }}]", expected: "[]" },
]);

outputCases("template text and trimming", [
    { description: "text without actions", text: "latest", expected: "latest" },
    { description: "left trim", text: "a  \n {{- .Tag }}", expected: "av1.2.3" },
    { description: "right trim", text: "{{ .Tag -}} \n\t b", expected: "v1.2.3b" },
    { description: "both trims", text: "a {{- .Tag -}} b", expected: "av1.2.3b" },
    { description: "a minus without space is a number", text: "{{-3}}", expected: "-3" },
    { description: "a comment prints nothing", text: "a {{/* note */}} b", expected: "a  b" },
    { description: "a trimmed comment", text: "a {{- /* note */ -}} b", expected: "ab" },
    { description: "trim around control actions", text: "{{ if true -}}\n  yes\n{{- end }}", expected: "yes" },
]);

outputCases("template literals", [
    { description: "strings with escapes", text: '{{ "a\\tb\\u00e9\\x41" }}', expected: "a\tbéA" },
    { description: "raw strings", text: "{{ `a\\n` }}", expected: "a\\n" },
    { description: "integers", text: "{{ 42 }} {{ -3 }} {{ 0x1F }} {{ 0o17 }} {{ 010 }} {{ 1_000 }}", expected: "42 -3 31 15 8 1000" },
    { description: "floats as Go prints them", text: "{{ 1.5 }} {{ 1.0 }} {{ 1e3 }} {{ 1e6 }} {{ 0.0001 }} {{ 0.00001 }}", expected: "1.5 1 1000 1e+06 0.0001 1e-05" },
    { description: "a character constant is its code point", text: "{{ 'a' }}", expected: "97" },
    { description: "booleans", text: "{{ true }} {{ false }}", expected: "true false" },
]);

outputCases("template pipelines", [
    { description: "the piped value is the last argument", text: '{{ "-" | replace .Version "." }}', expected: "1-2-3" },
    { description: "a pipe into a prefix argument", text: '{{ .Tag | trimprefix "v" }}', expected: "v" },
    { description: "several stages", text: '{{ .ProjectName | toupper | printf "%s!" }}', expected: "ACME!" },
    { description: "parentheses", text: '{{ printf "%s-%s" (toupper .ProjectName) (trimprefix .Tag "v") }}', expected: "ACME-1.2.3" },
    { description: "a method with a piped argument", text: '{{ "2006" | .Now.Format }}', expected: "2026" },
    { description: "fields of a parenthesised value", text: "{{ (.Runtime).Goos }}", expected: "linux" },
]);

outputCases("template conditionals", [
    { description: "if true", text: "{{ if .IsGitClean }}clean{{ end }}", expected: "clean" },
    { description: "if false with else", text: "{{ if .IsSnapshot }}snap{{ else }}release{{ end }}", expected: "release" },
    { description: "else if", text: "{{ if eq .Major 2 }}two{{ else if eq .Major 1 }}one{{ else }}other{{ end }}", expected: "one" },
    { description: "else if falls through", text: "{{ if eq .Major 5 }}five{{ else if eq .Major 6 }}six{{ else }}other{{ end }}", expected: "other" },
    { description: "empty string is false", text: "{{ if .Prerelease }}pre{{ else }}rel{{ end }}", expected: "rel" },
    { description: "zero is false", text: "{{ if 0 }}yes{{ else }}no{{ end }}", expected: "no" },
    { description: "empty list is false", text: "{{ if list }}yes{{ else }}no{{ end }}", expected: "no" },
    { description: "empty map is false", text: "{{ if map }}yes{{ else }}no{{ end }}", expected: "no" },
    { description: "a struct is true", text: "{{ if .Runtime }}yes{{ end }}", expected: "yes" },
    { description: "with sets dot", text: "{{ with .Env.HOME }}home={{ . }}{{ end }}", expected: "home=/home/user" },
    { description: "with else", text: "{{ with .Env.EMPTY }}set{{ else }}empty{{ end }}", expected: "empty" },
    { description: "else with", text: "{{ with .Env.EMPTY }}a{{ else with .Env.HOME }}{{ . }}{{ end }}", expected: "/home/user" },
]);

outputCases("template range", [
    { description: "a list", text: '{{ range split "a,b,c" "," }}[{{ . }}]{{ end }}', expected: "[a][b][c]" },
    { description: "index and element", text: '{{ range $i, $v := list "a" "b" }}{{ $i }}={{ $v }};{{ end }}', expected: "0=a;1=b;" },
    { description: "a map in sorted key order", text: "{{ range $k, $v := .Env }}{{ $k }}={{ $v }},{{ end }}", expected: "EMPTY=,HOME=/home/user,REGISTRY=kind.local," },
    { description: "a map's values", text: "{{ range $v := .Env }}<{{ $v }}>{{ end }}", expected: "<></home/user><kind.local>" },
    { description: "else for an empty list", text: "{{ range list }}x{{ else }}none{{ end }}", expected: "none" },
    { description: "an integer", text: "{{ range 3 }}{{ . }}{{ end }}", expected: "012" },
    { description: "break", text: '{{ range $i, $v := list "a" "b" "c" }}{{ if eq $i 1 }}{{ break }}{{ end }}{{ $v }}{{ end }}', expected: "a" },
    { description: "continue", text: '{{ range $i, $v := list "a" "b" "c" }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $v }}{{ end }}', expected: "ac" },
    { description: "the root inside range", text: '{{ range list "x" }}{{ $.ProjectName }}{{ end }}', expected: "acme" },
]);

outputCases("template variables and scope", [
    { description: "declare and use", text: '{{ $name := "x" }}{{ $name }}', expected: "x" },
    { description: "assign", text: '{{ $x := "a" }}{{ $x = "b" }}{{ $x }}', expected: "b" },
    { description: "assign inside if", text: "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", expected: "2" },
    { description: "shadow inside if", text: "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ end }}{{ $x }}", expected: "1" },
    { description: "declare in the condition", text: "{{ if $tag := .Tag }}{{ $tag }}{{ end }}", expected: "v1.2.3" },
    { description: "fields of a variable", text: "{{ $r := .Runtime }}{{ $r.Goos }}", expected: "linux" },
]);

outputCases("template built-in functions", [
    { description: "and returns the first false value", text: '{{ and 1 0 "x" }}', expected: "0" },
    { description: "and returns the last value", text: "{{ and 1 2 }}", expected: "2" },
    { description: "or returns the first true value", text: '{{ or 0 "" "y" }}', expected: "y" },
    { description: "or returns the last value", text: '[{{ or 0 "" }}]', expected: "[]" },
    { description: "and short-circuits", text: "{{ and .Env.EMPTY .Env.NOPE }}", expected: "" },
    { description: "or short-circuits", text: "{{ or .Env.HOME .Env.NOPE }}", expected: "/home/user" },
    { description: "not", text: '{{ not "" }} {{ not 1 }}', expected: "true false" },
    { description: "eq with several values", text: '{{ eq "a" "b" "a" }} {{ eq "a" "b" "c" }}', expected: "true false" },
    { description: "eq of int and uint", text: "{{ eq .Major 1 }}", expected: "true" },
    { description: "ne, lt, le, gt, ge", text: '{{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }}', expected: "true true true true false" },
    { description: "len of a string counts bytes", text: '{{ len "héllo" }}', expected: "6" },
    { description: "len of a list and a map", text: '{{ len (list "a" "b") }} {{ len .Env }}', expected: "2 3" },
    { description: "index of a list", text: '{{ index (split "a/b" "/") 1 }}', expected: "b" },
    { description: "index of a map", text: '{{ index .Env "HOME" }}', expected: "/home/user" },
    { description: "index of a missing map key is empty", text: '[{{ index .Env "NOPE" }}]', expected: "[]" },
    { description: "index of a string is a byte", text: '{{ index "abc" 1 }}', expected: "98" },
    { description: "slice of a string", text: '{{ slice "abcdef" 1 3 }}', expected: "bc" },
    { description: "slice of a list", text: '{{ slice (list "a" "b" "c") 1 }}', expected: "[b c]" },
    { description: "print spaces non-strings", text: '{{ print 1 2 "a" "b" 3 true }}', expected: "1 2ab3 true" },
    { description: "println", text: '{{ println 1 "a" }}', expected: "1 a\n" },
    { description: "print of nil", text: "{{ print nil }}", expected: "<nil>" },
    { description: "html", text: `{{ html "<a href='x'>&\\"" }}`, expected: "&lt;a href=&#39;x&#39;&gt;&amp;&#34;" },
    { description: "js", text: '{{ js "a\'b\\"c<d>&=" }}', expected: "a\\'b\\\"c\\u003Cd\\u003E\\u0026\\u003D" },
    { description: "urlquery", text: '{{ urlquery "a b&c=d/é" }}', expected: "a+b%26c%3Dd%2F%C3%A9" },
]);

describe("template missing keys", () => {
    it("rejects an unknown variable", () => {
        const error = applyError("{{ .Nope }}");
        assert.equal(error.phase, "execute");
        assert.match(error.reason, /^map has no entry for key "Nope"/);
        assert.match(error.reason, /\.ProjectName, .*\.Version/);
        assert.equal(error.column, 4);
    });

    it("suggests the right case", () => {
        assert.match(applyError("{{ .version }}").reason, /case-sensitive: did you mean \.Version\?/);
    });

    it("explains per-artifact variables", () => {
        assert.match(applyError("{{ .Os }}").reason, /only in GoReleaser templates evaluated per artifact/);
    });

    it("explains GoReleaser Pro variables", () => {
        assert.match(applyError("{{ .PrefixedTag }}").reason, /GoReleaser Pro variable/);
    });

    it("rejects an unset environment variable", () => {
        const error = applyError("{{ .Env.UNSET }}");
        assert.match(error.reason, /map has no entry for key "UNSET"/);
        assert.match(error.reason, /envOrDefault "UNSET" "default"/);
        assert.match(error.reason, /isEnvSet "UNSET"/);
    });

    it("names the template and the position", () => {
        const error = applyError("tag-{{ .Env.UNSET }}");
        assert.match(error.message, /^template "tag-\{\{ \.Env\.UNSET \}\}": 1:8: map has no entry/);
    });

    it("rejects an unknown struct field", () => {
        assert.match(applyError("{{ .Runtime.Nope }}").reason, /can't evaluate field Nope in type context\.Runtime/);
    });

    it("rejects a field of a string", () => {
        assert.match(applyError("{{ .Version.Foo }}").reason, /can't evaluate field Foo in type string/);
    });

    it("fails only on the branch that runs", () => {
        assert.equal(apply("{{ if false }}{{ .Nope }}{{ end }}ok"), "ok");
    });
});

describe("template execution errors", () => {
    const cases = [
        { description: "a string for a number comparison", text: '{{ eq .Major "1" }}', reason: /incompatible types for comparison: int and string/ },
        { description: "a number for a string parameter", text: "{{ tolower .Major }}", reason: /wrong type for value; expected string; got int/ },
        { description: "a number literal for a string parameter", text: "{{ tolower 3 }}", reason: /expected string; found 3/ },
        { description: "nil for a string parameter", text: "{{ tolower nil }}", reason: /cannot assign nil to string/ },
        { description: "too few arguments", text: "{{ tolower }}", reason: /wrong number of args for tolower: want 1 got 0/ },
        { description: "too many arguments with a pipe", text: '{{ "a" | tolower "b" }}', reason: /wrong number of args for tolower: want 1 got 2/ },
        { description: "nil as a command", text: "{{ nil }}", reason: /nil is not a command/ },
        { description: "arguments to a field", text: "{{ .Version 1 }}", reason: /Version is not a method but has arguments/ },
        { description: "arguments to a constant", text: "{{ 3 4 }}", reason: /can't give argument to non-function 3/ },
        { description: "len of a number", text: "{{ len 3 }}", reason: /error calling len: len of type int/ },
        { description: "index out of range", text: '{{ index (list "a") 5 }}', reason: /index out of range: 5/ },
        { description: "comparing lists", text: '{{ eq (list "a") (list "a") }}', reason: /non-comparable type \[\]string/ },
        { description: "ordering booleans", text: "{{ lt true false }}", reason: /invalid type for comparison/ },
        { description: "eq with one value", text: "{{ eq 1 }}", reason: /missing argument for comparison/ },
        { description: "range over a string", text: '{{ range "abc" }}{{ end }}', reason: /range can't iterate over abc/ },
        { description: "an unsupported time method", text: "{{ .Now.Month }}", reason: /can't evaluate field Month in type time\.Time.*Format/ },
    ];
    for (const { description, text, reason } of cases) {
        it(`rejects ${description}`, () => {
            const error = applyError(text);
            assert.equal(error.phase, "execute");
            assert.match(error.reason, reason);
        });
    }
});

describe("evaluateTemplate usage", () => {
    const evaluate = (text: string) => evaluateTemplate(text, release, { clock: () => now });

    it("records the variables read", () => {
        assert.deepEqual(evaluate("{{ .Tag }}-{{ .Runtime.Goos }}").usedKeys, ["Runtime", "Runtime.Goos", "Tag"]);
    });

    it("records environment keys", () => {
        const { usedKeys } = evaluate('{{ .Env.HOME }}{{ envOrDefault "REGISTRY" "x" }}{{ isEnvSet "NOPE" }}');
        assert.deepEqual(usedKeys, ["Env", "Env.HOME", "Env.NOPE", "Env.REGISTRY"]);
    });

    it("records the functions called", () => {
        assert.deepEqual(evaluate('{{ trimprefix .Tag "v" | toupper }}').usedFunctions, ["toupper", "trimprefix"]);
    });

    it("reports no volatile value for a tag", () => {
        assert.equal(evaluate("{{ .Tag }}").usedVolatile, false);
    });

    const volatile = [
        { description: "Date", text: "{{ .Date }}" },
        { description: "Timestamp", text: "{{ .Timestamp }}" },
        { description: "Now", text: '{{ .Now.Format "2006" }}' },
        { description: "the time function", text: '{{ time "2006" }}' },
        { description: "the root variable printed whole", text: "{{ . }}" },
        { description: "a range over the root", text: "{{ range $k, $v := $ }}{{ end }}" },
        { description: "index of the root", text: '{{ index . "Timestamp" }}' },
    ];
    for (const { description, text } of volatile) {
        it(`reports ${description} as volatile`, () => {
            assert.equal(evaluate(text).usedVolatile, true);
        });
    }

    it("ignores branches that do not run", () => {
        assert.equal(evaluate("{{ if false }}{{ .Date }}{{ end }}").usedVolatile, false);
    });

    it("returns the output", () => {
        assert.equal(evaluate("{{ .Version }}").value, "1.2.3");
    });

    it("evaluates a parsed tree", () => {
        const tree = parseTemplate("{{ .Tag }}");
        assert.equal(applyTemplate(tree, release), "v1.2.3");
        assert.equal(applyTemplate(tree, prerelease), "v1.3.0-rc.1");
    });
});
