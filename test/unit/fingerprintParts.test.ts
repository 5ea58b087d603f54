import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { digestSourceFingerprint, FingerprintError, listChangedEntries, type SourceFingerprint } from "../../provider/fingerprint";
import { makeGoEnvironment, parseGoFlags, selectListFlags } from "../../provider/fingerprint/goCommand";
import { resolveGoTargets } from "../../provider/fingerprint/platforms";

describe("resolveGoTargets", () => {
    const cases: readonly [string, Record<string, string>][] = [
        ["linux/amd64", { GOOS: "linux", GOARCH: "amd64" }],
        ["linux/amd64/v3", { GOOS: "linux", GOARCH: "amd64", GOAMD64: "v3" }],
        ["linux/arm/v7", { GOOS: "linux", GOARCH: "arm", GOARM: "7" }],
        ["linux/arm/v6", { GOOS: "linux", GOARCH: "arm", GOARM: "6" }],
        ["linux/arm/v8", { GOOS: "linux", GOARCH: "arm", GOARM: "7" }],
        ["linux/arm/v4", { GOOS: "linux", GOARCH: "arm" }],
        ["linux/arm64/v8", { GOOS: "linux", GOARCH: "arm64" }],
        ["windows/amd64", { GOOS: "windows", GOARCH: "amd64" }],
    ];
    for (const [platform, variables] of cases) {
        it(`maps ${platform}`, () => {
            assert.deepEqual(resolveGoTargets([platform]), [{ platforms: [platform], variables }]);
        });
    }

    it("merges platforms with one target", () => {
        const targets = resolveGoTargets(["linux/arm64/v8", "linux/amd64", "linux/arm64", "linux/amd64"]);
        assert.deepEqual(
            targets.map((target) => target.platforms),
            [["linux/amd64"], ["linux/arm64", "linux/arm64/v8"]],
        );
    });

    const invalid: readonly [string, RegExp][] = [
        ["all", /"all" cannot be fingerprinted/],
        ["linux", /"linux" is invalid: use os\/arch/],
        ["linux//amd64", /is invalid/],
        ["linux/arm/7", /invalid arm variant: use v5, v6 or v7/],
    ];
    for (const [platform, message] of invalid) {
        it(`rejects ${platform}`, () => {
            assert.throws(() => resolveGoTargets([platform]), (error: Error) => error instanceof FingerprintError && message.test(error.message));
        });
    }

    it("rejects no platforms", () => {
        assert.throws(() => resolveGoTargets([]), /platforms is empty/);
    });
});

describe("parseGoFlags", () => {
    const cases: readonly [string, string[], { name: string; value?: string }[]][] = [
        ["joined value", ["-tags=a,b"], [{ name: "tags", value: "a,b" }]],
        ["separate value", ["-tags", "a"], [{ name: "tags", value: "a" }]],
        ["double dash", ["--tags", "a"], [{ name: "tags", value: "a" }]],
        ["boolean", ["-trimpath", "-race"], [{ name: "trimpath" }, { name: "race" }]],
        ["boolean with value", ["-race=false"], [{ name: "race", value: "false" }]],
        ["ldflags value with dash", ["-ldflags", "-s -w", "-v"], [{ name: "ldflags", value: "-s -w" }, { name: "v" }]],
        ["stops at --", ["-v", "--", "-race"], [{ name: "v" }]],
        ["stops at a non-flag", ["-v", "./cmd", "-race"], [{ name: "v" }]],
    ];
    for (const [name, args, expected] of cases) {
        it(`reads ${name}`, () => {
            assert.deepEqual(
                parseGoFlags(args).map(({ name: flagName, value }) => (value === undefined ? { name: flagName } : { name: flagName, value })),
                expected,
            );
        });
    }
});

describe("selectListFlags", () => {
    it("keeps flags that change the package list", () => {
        const flags = ["-trimpath", "-tags", "netgo", "-ldflags=-s -w", "-mod=vendor", "-race", "-gcflags", "all=-N", "-pgo=off"];
        assert.deepEqual(selectListFlags(flags), ["-tags", "netgo", "-mod=vendor", "-race", "-pgo=off"]);
    });

    it("keeps repeated tags in order", () => {
        assert.deepEqual(selectListFlags(["-tags=a", "-tags=b"]), ["-tags=a", "-tags=b"]);
    });
});

describe("makeGoEnvironment", () => {
    const [arm] = resolveGoTargets(["linux/arm/v7"]);

    it("disables cgo by default", () => {
        assert.equal(makeGoEnvironment(arm, {}, []).CGO_ENABLED, "0");
    });

    it("takes CGO_ENABLED from the base environment", () => {
        assert.equal(makeGoEnvironment(arm, { CGO_ENABLED: "1" }, []).CGO_ENABLED, "1");
    });

    it("lets build env win over the base environment", () => {
        assert.equal(makeGoEnvironment(arm, { CGO_ENABLED: "1" }, ["CGO_ENABLED=0"]).CGO_ENABLED, "0");
    });

    it("replaces platform variables of the base environment", () => {
        const env = makeGoEnvironment(arm, { GOOS: "darwin", GOARCH: "amd64", GOARM: "5" }, []);
        assert.deepEqual([env.GOOS, env.GOARCH, env.GOARM], ["linux", "arm", "7"]);
    });

    it("keeps GOFLAGS", () => {
        assert.equal(makeGoEnvironment(arm, { GOFLAGS: "-mod=vendor" }, []).GOFLAGS, "-mod=vendor");
    });

    it("keeps an = inside a value", () => {
        assert.equal(makeGoEnvironment(arm, {}, ["GOFLAGS=-tags=a"]).GOFLAGS, "-tags=a");
    });

    it("rejects an entry without a name", () => {
        assert.throws(() => makeGoEnvironment(arm, {}, ["=1"]), /env entry "=1" is invalid: write it as NAME=value/);
    });
});

describe("listChangedEntries", () => {
    const base: SourceFingerprint = {
        goVersion: "go1.26.8",
        kodata: "sha256:k",
        modules: { "example.com/app": "sha256:m", "golang.org/x/text@v0.3.0": "h1:t" },
        packages: { "example.com/app": "sha256:a", "example.com/app/x": "sha256:x" },
        platforms: ["linux/amd64"],
        settings: "sha256:s",
    };

    const cases: readonly [string, SourceFingerprint, string[]][] = [
        ["nothing", { ...base }, []],
        ["a package", { ...base, packages: { ...base.packages, "example.com/app/x": "sha256:y" } }, ["packages[example.com/app/x]"]],
        ["an added package", { ...base, packages: { ...base.packages, "example.com/app/z": "sha256:z" } }, ["packages[example.com/app/z]"]],
        ["a removed module", { ...base, modules: { "example.com/app": "sha256:m" } }, ["modules[golang.org/x/text@v0.3.0]"]],
        ["removed kodata", { ...base, kodata: undefined }, ["kodata"]],
        ["the Go version", { ...base, goVersion: "go1.26.9" }, ["goVersion"]],
        ["platforms and settings", { ...base, platforms: ["linux/amd64", "linux/arm64"], settings: "sha256:t" }, ["platforms", "settings"]],
        ["a PGO profile", { ...base, pgoProfile: "sha256:p" }, ["pgoProfile"]],
    ];
    for (const [name, after, expected] of cases) {
        it(`lists ${name}`, () => {
            assert.deepEqual(listChangedEntries(base, after), expected);
        });
    }
});

describe("digestSourceFingerprint", () => {
    const fingerprint: SourceFingerprint = {
        goVersion: "go1.26.8",
        modules: { b: "2", a: "1" },
        packages: { "example.com/app": "sha256:a" },
        platforms: ["linux/arm64", "linux/amd64"],
        settings: "sha256:s",
    };

    it("ignores key and platform order", () => {
        const reordered: SourceFingerprint = { ...fingerprint, modules: { a: "1", b: "2" }, platforms: ["linux/amd64", "linux/arm64"] };
        assert.equal(digestSourceFingerprint(reordered), digestSourceFingerprint(fingerprint));
    });

    it("changes with a package digest", () => {
        const changed: SourceFingerprint = { ...fingerprint, packages: { "example.com/app": "sha256:b" } };
        assert.notEqual(digestSourceFingerprint(changed), digestSourceFingerprint(fingerprint));
    });

    it("has the sha256 form", () => {
        assert.match(digestSourceFingerprint(fingerprint), /^sha256:[0-9a-f]{64}$/);
    });
});
