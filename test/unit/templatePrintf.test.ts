import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyTemplate, emptyTemplateContext, type TemplateContext } from "../../provider/template";

const now = new Date(Date.UTC(2026, 7, 22, 9, 52, 43, 123));
const context: TemplateContext = {
    ...emptyTemplateContext(now),
    Major: 1,
    Runtime: { Goos: "linux", Goarch: "amd64" },
};

// Expected outputs come from Go 1.26's fmt.Sprintf with the same arguments.
const cases = [
    { description: "strings with widths", text: '{{ printf "%5s|%-5s|" "ab" "cd" }}', expected: "   ab|cd   |" },
    { description: "zero-padded string", text: '{{ printf "%05s" "ab" }}', expected: "000ab" },
    { description: "string precision counts characters", text: '{{ printf "%.3s|%5.1s" "héllo" "abc" }}', expected: "hél|    a" },
    { description: "quoted strings", text: '{{ printf "%q %#q %+q" "q\\"x" "abc" "héllo" }}', expected: '"q\\"x" `abc` "h\\u00e9llo"' },
    { description: "hex of a string", text: '{{ printf "%x|%X|% x|%#x" "hi" "hi" "hi" "ab" }}', expected: "6869|6869|68 69|0x6162" },
    { description: "integers", text: '{{ printf "%d|%05d|%+d|% d|%x|%X|%#x|%#o|%b|%O" 42 42 5 5 255 255 255 8 5 8 }}', expected: "42|00042|+5| 5|ff|FF|0xff|010|101|0o10" },
    { description: "negative integers", text: '{{ printf "%+05d|%x|%-5d|" -42 -255 -3 }}', expected: "-0042|-ff|-3   |" },
    { description: "integer precision", text: '{{ printf "%.0d|%.3d|%5.3d" 0 7 -7 }}', expected: "|007| -007" },
    { description: "characters", text: '{{ printf "%c %q %U %#U" 65 65 65 233 }}', expected: "A 'A' U+0041 U+00E9 'é'" },
    { description: "floats", text: '{{ printf "%.2f|%e|%g|%v" 3.14159 1234.5678 0.000012345 1.0 }}', expected: "3.14|1.234568e+03|1.2345e-05|1" },
    { description: "float defaults as Go prints them", text: '{{ printf "%v %v %v %v %v" 1000000.0 123456.0 1e21 0.1 100000000.0 }}', expected: "1e+06 123456 1e+21 0.1 1e+08" },
    { description: "round half to even", text: '{{ printf "%.0f %.0f %.0f %.1f %.2f" 0.5 1.5 2.5 0.25 0.125 }}', expected: "0 2 2 0.2 0.12" },
    { description: "float widths and signs", text: '{{ printf "%8.3f|%-8.2f|%+.1e|%08.3f|%010.3e" 3.14159 2.5 12345.678 -3.14159 1234.5 }}', expected: "   3.142|2.50    |+1.2e+04|-003.142|01.234e+03" },
    { description: "float precision for %g", text: '{{ printf "%.3g %.3g %g %g" 12.345 0.00012345 100000.0 1e-5 }}', expected: "12.3 0.000123 100000 1e-05" },
    { description: "booleans", text: '{{ printf "%t %v" true false }}', expected: "true false" },
    { description: "a percent sign", text: '{{ printf "%6.2f%%" 12.3456 }}', expected: " 12.35%" },
    { description: "lists element by element", text: '{{ printf "%s %q %5s" (list "a" "b") (list "a" "b") (list "a") }}', expected: '[a b] ["a" "b"] [    a]' },
    { description: "maps in key order", text: '{{ printf "%v" (map "b" "2" "a" "1") }}', expected: "map[a:1 b:2]" },
    { description: "structs with field names", text: '{{ printf "%v %+v" .Runtime .Runtime }}', expected: "{linux amd64} {Goos:linux Goarch:amd64}" },
    { description: "types", text: '{{ printf "%T %T %T %T %T" 1 1.5 "a" true (list "a") }}', expected: "int float64 string bool []string" },
    { description: "argument indexes", text: '{{ printf "%[2]s %[1]s" "a" "b" }}', expected: "b a" },
    { description: "star widths", text: '{{ printf "%*d|%-*d|" 5 1 4 2 }}', expected: "    1|2   |" },
    { description: "a time as Go prints it", text: '{{ printf "%s" .Now }}', expected: "2026-08-22 09:52:43.123 +0000 UTC" },
    { description: "a wrong verb", text: '{{ printf "%d %s %t" "x" 3 "y" }}', expected: "%!d(string=x) %!s(int=3) %!t(string=y)" },
    { description: "a missing argument", text: '{{ printf "%d" }}', expected: "%!d(MISSING)" },
    { description: "an extra argument", text: '{{ printf "%d" 1 2 }}', expected: "1%!(EXTRA int=2)" },
    { description: "no verb", text: '{{ printf "%" }}', expected: "%!(NOVERB)" },
    { description: "an unknown verb", text: '{{ printf "%z" 1 }}', expected: "%!z(int=1)" },
    { description: "nil", text: '{{ printf "%v %s" nil nil }}', expected: "<nil> %!s(<nil>)" },
    { description: "a piped argument", text: '{{ .Major | printf "v%d" }}', expected: "v1" },
];

describe("template printf", () => {
    for (const { description, text, expected } of cases) {
        it(description, () => {
            assert.equal(applyTemplate(text, context), expected);
        });
    }

    it("rejects hex floats", () => {
        assert.throws(() => applyTemplate('{{ printf "%x" 1.5 }}', context), /printf verb %x for a float64 is not supported/);
    });
});

describe("template default printing", () => {
    const printing = [
        { description: "an integer", text: "{{ .Major }}", expected: "1" },
        { description: "an integral float", text: "{{ 2.0 }}", expected: "2" },
        { description: "a list", text: '{{ list "a" "b" }}', expected: "[a b]" },
        { description: "a nested list", text: '{{ list "a" | printf "%v" }}', expected: "[a]" },
        { description: "a map", text: '{{ map "k" "v" }}', expected: "map[k:v]" },
        { description: "an empty list", text: "{{ list }}", expected: "[]" },
        { description: "a missing index of the root", text: '{{ index . "Nope" }}', expected: "<no value>" },
    ];
    for (const { description, text, expected } of printing) {
        it(description, () => {
            assert.equal(applyTemplate(text, context), expected);
        });
    }
});
