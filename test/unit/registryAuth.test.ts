import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseChallenge } from "../../provider/registry/auth";
import { RegistryClient, RegistryError } from "../../provider/registry/client";
import { copyImage } from "../../provider/registry/copy";
import { writeTempFiles } from "../support/paths";
import { pushTestImage } from "../support/registryImages";
import { startTestRegistry, type TestRegistry } from "../support/registryServer";
import { startTokenServer, type TokenServer } from "../support/registryTokenServer";

const user = "alice";
const password = "correct-horse-battery";
const wrongPassword = "wrong-staple-guess";
const refreshToken = "refresh-token-of-alice";

/** Writes `config` as config.json into a new folder, for DOCKER_CONFIG. */
function dockerConfigDir(config: unknown): string {
    return writeTempFiles({ "config.json": JSON.stringify(config) });
}

/** A client whose only docker config is `config`, with `extraPath` (a helper folder) first on PATH. */
function clientWithConfig(config: unknown, extraPath?: string): RegistryClient {
    const searchPath = extraPath ? `${extraPath}${path.delimiter}${process.env.PATH}` : process.env.PATH;
    return new RegistryClient({ env: { PATH: searchPath, DOCKER_CONFIG: dockerConfigDir(config) } });
}

function basicAuth(name: string, secret: string): string {
    return Buffer.from(`${name}:${secret}`).toString("base64");
}

/**
 * Writes the credential helper `docker-credential-test` into a new folder. It prints `username`
 * and `secret` for `server` and "credentials not found" for any other server URL, and appends
 * its arguments and standard input to calls.log, so that tests can see how it was run.
 */
function writeCredentialHelper(server: string, username: string, secret: string): string {
    const dir = writeTempFiles({});
    const helper = path.join(dir, "docker-credential-test");
    const reply = JSON.stringify({ ServerURL: server, Username: username, Secret: secret });
    fs.writeFileSync(
        helper,
        [
            "#!/bin/sh",
            "read -r server",
            `echo "$* $server" >> "${dir}/calls.log"`,
            `if [ "$1" = get ] && [ "$server" = "${server}" ]; then`,
            `  printf '%s\\n' '${reply}'`,
            "  exit 0",
            "fi",
            "echo 'credentials not found in native keychain'",
            "exit 1",
            "",
        ].join("\n"),
        { mode: 0o755 },
    );
    return dir;
}

/** Asserts that `promise` fails with a 401 RegistryError whose message matches `pattern` and leaks no password. */
async function assertUnauthorized(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
    await assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof RegistryError, `expected a RegistryError, got ${String(error)}`);
        assert.equal(error.status, 401);
        assert.equal(error.code, "UNAUTHORIZED");
        assert.match(error.message, pattern);
        assert.doesNotMatch(error.message, new RegExp(`${password}|${wrongPassword}`));
        assert.doesNotMatch(error.message, new RegExp(basicAuth(user, wrongPassword)));
        return true;
    });
}

describe("parseChallenge", () => {
    it("reads a Bearer challenge with quoted values", () => {
        const challenge = parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"');

        assert.equal(challenge.scheme, "bearer");
        assert.deepEqual(challenge.params, { realm: "https://auth.example/token", service: "registry.example", scope: "repository:a/b:pull,push" });
    });

    it("reads a Basic challenge", () => {
        assert.deepEqual(parseChallenge('Basic realm="pulumi-kos-test"'), { scheme: "basic", params: { realm: "pulumi-kos-test" } });
    });

    it("reads unquoted values and escaped quotes", () => {
        assert.deepEqual(parseChallenge('Bearer realm=https://a.example/t, error="say \\"hi\\""').params, { realm: "https://a.example/t", error: 'say "hi"' });
    });

    it("treats a missing header as no authentication", () => {
        assert.equal(parseChallenge(null).scheme, "none");
    });
});

describe("registry basic auth", () => {
    let open: TestRegistry;
    let protectedRegistry: TestRegistry;
    let imageDigest: string;
    let source: string;

    before(async () => {
        [open, protectedRegistry] = await Promise.all([startTestRegistry(), startTestRegistry({ users: { [user]: password } })]);
        source = `${open.address}/src/app:v1`;
        imageDigest = pushTestImage(source);
    });

    after(async () => {
        await Promise.all([open?.stop(), protectedRegistry?.stop()]);
    });

    it("uses an auths entry from DOCKER_CONFIG", async () => {
        const client = clientWithConfig({ auths: { [protectedRegistry.address]: { auth: basicAuth(user, password) } } });

        const copied = await copyImage(source, `${protectedRegistry.address}/mirror/app:v1`, { client });

        assert.equal(copied, `${protectedRegistry.address}/mirror/app@${imageDigest}`);
        assert.equal((await client.headManifest(`${protectedRegistry.address}/mirror/app:v1`))?.digest, imageDigest);
    });

    it("uses username and password fields of an auths entry", async () => {
        const client = clientWithConfig({ auths: { [`http://${protectedRegistry.address}/v2/`]: { username: user, password } } });

        await copyImage(source, `${protectedRegistry.address}/fields/app:v1`, { client });

        assert.deepEqual(await client.listTags(`${protectedRegistry.address}/fields/app`), ["v1"]);
    });

    it("prefers explicit registryAuth over the docker config", async () => {
        const client = new RegistryClient({
            registryAuth: [{ address: `http://${protectedRegistry.address}`, username: user, password }],
            env: { PATH: process.env.PATH, DOCKER_CONFIG: dockerConfigDir({ auths: { [protectedRegistry.address]: { auth: basicAuth(user, wrongPassword) } } }) },
        });

        await copyImage(source, `${protectedRegistry.address}/explicit/app:v1`, { client });

        assert.equal((await client.headManifest(`${protectedRegistry.address}/explicit/app:v1`))?.digest, imageDigest);
    });

    it("runs the credential helper named in credHelpers", async () => {
        const helperDir = writeCredentialHelper(protectedRegistry.address, user, password);
        const client = clientWithConfig({ credHelpers: { [protectedRegistry.address]: "test" } }, helperDir);

        await copyImage(source, `${protectedRegistry.address}/helper/app:v1`, { client });

        assert.equal((await client.headManifest(`${protectedRegistry.address}/helper/app:v1`))?.digest, imageDigest);
        const calls = fs.readFileSync(path.join(helperDir, "calls.log"), "utf8").trim().split("\n");
        assert.deepEqual([...new Set(calls)], [`get ${protectedRegistry.address}`]);
    });

    it("tries the repository key before the registry key", async () => {
        const client = clientWithConfig({
            auths: {
                [`${protectedRegistry.address}/scoped/app`]: { auth: basicAuth(user, password) },
                [protectedRegistry.address]: { auth: basicAuth(user, wrongPassword) },
            },
        });

        await copyImage(source, `${protectedRegistry.address}/scoped/app:v1`, { client });

        await assertUnauthorized(client.headManifest(`${protectedRegistry.address}/other/app:v1`), /rejected the credentials from auths\[/);
    });

    it("treats a credsStore without an entry as anonymous", async () => {
        const helperDir = writeCredentialHelper("some-other-registry.example", user, password);
        const client = clientWithConfig({ credsStore: "test" }, helperDir);

        await assertUnauthorized(client.headManifest(`${protectedRegistry.address}/mirror/app:v1`), /no credentials were found for 127\.0\.0\.1:\d+: log in with `docker login 127\.0\.0\.1:\d+`/);
    });

    it("reports a credential helper missing from PATH", async () => {
        const client = clientWithConfig({ credHelpers: { [protectedRegistry.address]: "absent-pulumi-kos-test" } });

        await assert.rejects(client.headManifest(`${protectedRegistry.address}/mirror/app:v1`), /docker-credential-absent-pulumi-kos-test was not found on PATH.*install it, or remove it from the docker config/);
    });

    it("rejects a wrong password without revealing it", async () => {
        const client = clientWithConfig({ auths: { [protectedRegistry.address]: { auth: basicAuth(user, wrongPassword) } } });

        await assertUnauthorized(
            client.headManifest(`${protectedRegistry.address}/mirror/app:v1`),
            /^HEAD http:\/\/127\.0\.0\.1:\d+\/v2\/mirror\/app\/manifests\/v1 failed: HTTP 401 UNAUTHORIZED; the registry rejected the credentials from auths\["127\.0\.0\.1:\d+"\] in .*config\.json: check the user name and password, or log in again/,
        );
        await assertUnauthorized(client.getManifest(`${protectedRegistry.address}/mirror/app:v1`), /^GET .* failed: HTTP 401 UNAUTHORIZED: authentication required;/);
    });

    it("rejects anonymous access with a login hint", async () => {
        const client = clientWithConfig({});

        await assertUnauthorized(copyImage(source, `${protectedRegistry.address}/anonymous/app:v1`, { client }), /no credentials were found for 127\.0\.0\.1:\d+: log in with `docker login/);
    });
});

describe("registry bearer auth", () => {
    let open: TestRegistry;
    let tokenServer: TokenServer;
    let tokenRegistry: TestRegistry;
    let source: string;
    let imageDigest: string;

    before(async () => {
        tokenServer = await startTokenServer({ [user]: password }, { [refreshToken]: user });
        [open, tokenRegistry] = await Promise.all([startTestRegistry(), startTestRegistry({ token: tokenServer.settings })]);
        source = `${open.address}/src/app:v1`;
        imageDigest = pushTestImage(source);
    });

    after(async () => {
        await Promise.all([open?.stop(), tokenRegistry?.stop(), tokenServer?.stop()]);
    });

    it("copies with tokens for push and pull scopes", async () => {
        const client = clientWithConfig({ auths: { [tokenRegistry.address]: { auth: basicAuth(user, password) } } });
        const before = tokenServer.requests.length;

        await copyImage(source, `${tokenRegistry.address}/mirror/app:v1`, { client });

        assert.equal((await client.headManifest(`${tokenRegistry.address}/mirror/app:v1`))?.digest, imageDigest);
        const requests = tokenServer.requests.slice(before);
        assert.ok(requests.every((request) => request.user === user && request.status === 200));
        const scopes = requests.flatMap((request) => request.scopes);
        assert.ok(scopes.includes("repository:mirror/app:pull"), `scopes: ${scopes.join(", ")}`);
        assert.ok(scopes.includes("repository:mirror/app:pull,push"), `scopes: ${scopes.join(", ")}`);
    });

    it("caches a token per repository and action", async () => {
        const client = clientWithConfig({ auths: { [tokenRegistry.address]: { auth: basicAuth(user, password) } } });
        const before = tokenServer.requests.length;

        await client.headManifest(`${tokenRegistry.address}/cached/app:v1`);
        await client.headManifest(`${tokenRegistry.address}/cached/app:v2`);
        await client.listTags(`${tokenRegistry.address}/mirror/app`);

        const scopes = tokenServer.requests.slice(before).map((request) => request.scopes.join(" "));
        assert.deepEqual(scopes, ["repository:cached/app:pull", "repository:mirror/app:pull"]);
    });

    it("exchanges an identitytoken with the refresh-token grant", async () => {
        const client = clientWithConfig({ auths: { [tokenRegistry.address]: { identitytoken: refreshToken } } });
        const before = tokenServer.requests.length;

        assert.equal((await client.headManifest(`${tokenRegistry.address}/mirror/app:v1`))?.digest, imageDigest);

        const requests = tokenServer.requests.slice(before);
        assert.deepEqual(requests, [{ method: "POST", user, scopes: ["repository:mirror/app:pull"], status: 200 }]);
    });

    it("treats a helper's <token> user as an identity token", async () => {
        const helperDir = writeCredentialHelper(tokenRegistry.address, "<token>", refreshToken);
        const client = clientWithConfig({ credHelpers: { [tokenRegistry.address]: "test" } }, helperDir);
        const before = tokenServer.requests.length;

        await copyImage(source, `${tokenRegistry.address}/helper/app:v1`, { client });

        const requests = tokenServer.requests.slice(before);
        assert.ok(requests.length > 0);
        assert.ok(requests.every((request) => request.method === "POST" && request.user === user && request.status === 200));
    });

    it("rejects a wrong password at the token server", async () => {
        const client = clientWithConfig({ auths: { [tokenRegistry.address]: { auth: basicAuth(user, wrongPassword) } } });

        await assertUnauthorized(
            client.headManifest(`${tokenRegistry.address}/mirror/app:v1`),
            /^the token request to http:\/\/127\.0\.0\.1:\d+\/token for "repository:mirror\/app:pull" failed: HTTP 401 UNAUTHORIZED: invalid user name or password; the token server rejected the credentials from auths\[/,
        );
    });

    it("rejects anonymous pulls with a login hint", async () => {
        const client = clientWithConfig({});

        await assertUnauthorized(client.getManifest(`${tokenRegistry.address}/mirror/app:v1`), /^GET .* failed: HTTP 401 UNAUTHORIZED: .*no credentials were found for 127\.0\.0\.1:\d+: log in/);
    });
});
