import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseImageReference } from "../../provider";
import { usesPlainHttp } from "../../provider/registry/reference";

const digest = `sha256:${"c".repeat(64)}`;

describe("parseImageReference", () => {
    const cases = [
        { reference: "alpine", want: { registry: "registry-1.docker.io", repository: "library/alpine", tag: "latest", digest: undefined } },
        { reference: "docker.io/acme/app:v1", want: { registry: "registry-1.docker.io", repository: "acme/app", tag: "v1", digest: undefined } },
        { reference: "127.0.0.1:5000/a/b", want: { registry: "127.0.0.1:5000", repository: "a/b", tag: "latest", digest: undefined } },
        { reference: `ghcr.io/acme/app:v1@${digest}`, want: { registry: "ghcr.io", repository: "acme/app", tag: "v1", digest } },
        { reference: `localhost/app@${digest}`, want: { registry: "localhost", repository: "app", tag: undefined, digest } },
    ];
    for (const { reference, want } of cases) {
        it(`parses ${reference}`, () => {
            assert.deepEqual(parseImageReference(reference), want);
        });
    }

    it("rejects a malformed digest", () => {
        assert.throws(() => parseImageReference("r.io/a@sha256:xyz"), /invalid image reference "r.io\/a@sha256:xyz"/);
    });
});

describe("usesPlainHttp", () => {
    for (const registry of ["localhost:5000", "127.0.0.1:5000", "registry.localhost", "[::1]:5000"]) {
        it(`is true for ${registry}`, () => assert.equal(usesPlainHttp(registry), true));
    }
    for (const registry of ["ghcr.io", "registry.local:5000"]) {
        it(`is false for ${registry}`, () => assert.equal(usesPlainHttp(registry), false));
    }
});
