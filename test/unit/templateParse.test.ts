import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTemplate, TemplateError } from "../../provider/template";

/** Parses `text` and returns the TemplateError it raises. */
function parseError(text: string): TemplateError {
    try {
        parseTemplate(text);
    } catch (error) {
        assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
        return error;
    }
    assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

describe("parseTemplate accepts", () => {
    const cases = [
        { description: "plain text", text: "latest" },
        { description: "an empty template", text: "" },
        { description: "a field", text: "{{ .Version }}" },
        { description: "a chained field", text: "{{ .Env.FOO }}" },
        { description: "trim markers", text: "a {{- .Tag -}} b" },
        { description: "a comment", text: "{{/* note */}}" },
        { description: "a trimmed comment", text: "a {{- /* note */ -}} b" },
        { description: "a pipeline", text: "{{ .Tag | trimprefix \"v\" | toupper }}" },
        { description: "parentheses", text: "{{ if and (eq .Major 1) (not .IsSnapshot) }}x{{ end }}" },
        { description: "else if chains", text: "{{ if .A }}a{{ else if .B }}b{{ else }}c{{ end }}" },
        { description: "else with chains", text: "{{ with .A }}a{{ else with .B }}b{{ end }}" },
        { description: "range with two variables", text: "{{ range $i, $v := .Env }}{{ $i }}{{ $v }}{{ end }}" },
        { description: "break and continue in range", text: "{{ range .L }}{{ if . }}{{ break }}{{ end }}{{ continue }}{{ end }}" },
        { description: "variable declaration and assignment", text: "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}" },
        { description: "the root variable", text: "{{ $.Version }}" },
        { description: "literals", text: "{{ print 1 -2 1.5 1e3 0x1F 0o17 0b101 1_000 'a' true false \"s\" `raw` }}" },
        { description: "nil as an argument", text: "{{ print nil }}" },
        { description: "newlines inside an action", text: "{{ printf\n  \"%s\"\n  .Tag }}" },
        { description: "fields of a parenthesised value", text: "{{ (.Runtime).Goos }}" },
    ];
    for (const { description, text } of cases) {
        it(description, () => {
            assert.doesNotThrow(() => parseTemplate(text));
        });
    }
});

describe("parseTemplate rejects", () => {
    const cases = [
        { description: "an unclosed action", text: "{{ .Version", reason: /unclosed action/, column: 12 },
        { description: "an unterminated string", text: 'x {{ "abc }}', reason: /unterminated quoted string/, column: 6 },
        { description: "an unterminated raw string", text: "{{ `abc }}", reason: /unterminated raw quoted string/, column: 4 },
        { description: "an unclosed comment", text: "a {{/* note", reason: /unclosed comment/, column: 3 },
        { description: "a comment with text after it", text: "{{/* note */ .X }}", reason: /comment ends before closing delimiter/, column: 13 },
        { description: "an unknown function", text: "{{ nope .Tag }}", reason: /function "nope" not defined/, column: 4 },
        { description: "a misspelt function", text: "{{ toUpper .Tag }}", reason: /function "toUpper" not defined.*case-sensitive/, column: 4 },
        { description: "an undefined variable", text: "{{ $x }}", reason: /undefined variable "\$x": declare it first/, column: 4 },
        { description: "a variable used after its end", text: "{{ if $x := 1 }}{{ end }}{{ $x }}", reason: /undefined variable "\$x"/, column: 29 },
        { description: "a missing end", text: "{{ if .A }}x", reason: /unexpected EOF.*no \{\{end\}\}/, column: 13 },
        { description: "a stray end", text: "x{{ end }}", reason: /unexpected \{\{end\}\}/, column: 5 },
        { description: "a stray else", text: "{{ else }}", reason: /unexpected \{\{else\}\}/, column: 4 },
        { description: "an if without a condition", text: "{{ if }}{{ end }}", reason: /missing value for if/, column: 7 },
        { description: "break outside range", text: "{{ break }}", reason: /\{\{break\}\} outside \{\{range\}\}/, column: 4 },
        { description: "continue outside range", text: "{{ if .A }}{{ continue }}{{ end }}", reason: /\{\{continue\}\} outside \{\{range\}\}/, column: 15 },
        { description: "a constant after a pipe", text: "{{ .Tag | \"x\" }}", reason: /non executable command in pipeline stage 2/, column: 11 },
        { description: "a field of a constant", text: '{{ "x".Foo }}', reason: /unexpected \. after term/, column: 4 },
        { description: "three range variables", text: "{{ range $a, $b, $c := .L }}{{ end }}", reason: /too many declarations in range/, column: 16 },
        { description: "a right parenthesis alone", text: "{{ ) }}", reason: /unexpected right paren/, column: 4 },
        { description: "an unclosed parenthesis", text: "{{ (print 1 }}", reason: /unclosed left paren/, column: 13 },
        { description: "a bad number", text: "{{ 12ab }}", reason: /bad number syntax/, column: 4 },
        { description: "an integer overflow", text: "{{ 9223372036854775808 }}", reason: /overflows int/, column: 4 },
        { description: "a complex number", text: "{{ 1+2i }}", reason: /complex numbers .* not supported/, column: 4 },
        { description: "a bad escape", text: '{{ "\\q" }}', reason: /invalid escape sequence \\q/, column: 4 },
        { description: "an unexpected character", text: "{{ .A ; }}", reason: /unexpected ";" in operand/, column: 7 },
    ];
    for (const { description, text, reason, column } of cases) {
        it(description, () => {
            const error = parseError(text);
            assert.equal(error.phase, "parse");
            assert.match(error.reason, reason);
            assert.equal(error.line, 1);
            assert.equal(error.column, column);
        });
    }

    it("counts lines and columns", () => {
        const error = parseError("first line\n  {{ nope }}");
        assert.equal(error.line, 2);
        assert.equal(error.column, 6);
    });

    it("names the template text", () => {
        const error = parseError("{{ nope }}");
        assert.match(error.message, /^template "\{\{ nope \}\}": 1:4: function "nope" not defined/);
        assert.equal(error.template, "{{ nope }}");
    });
});

describe("parseTemplate unsupported constructs", () => {
    const cases = [
        { description: "template", text: '{{ template "x" }}', reason: /\{\{template\}\} action is not supported/ },
        { description: "define", text: '{{ define "x" }}y{{ end }}', reason: /\{\{define\}\} action is not supported/ },
        { description: "block", text: '{{ block "x" . }}y{{ end }}', reason: /\{\{block\}\} action is not supported/ },
        { description: "call", text: "{{ call .Fn }}", reason: /call function is not supported/ },
        { description: "a GoReleaser Pro function", text: '{{ in (list "a") "a" }}', reason: /in function is a GoReleaser Pro feature/ },
        { description: "else with after if", text: "{{ if .A }}a{{ else with .B }}b{{ end }}", reason: /\{\{else with\}\} cannot follow \{\{if\}\}/ },
    ];
    for (const { description, text, reason } of cases) {
        it(`rejects ${description}`, () => {
            assert.match(parseError(text).reason, reason);
        });
    }

    it("rejects them even in a branch that never runs", () => {
        assert.match(parseError('{{ if false }}{{ template "x" }}{{ end }}').reason, /not supported/);
    });
});
