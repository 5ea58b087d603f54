import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DockerKeychain } from "../../provider/registry/credentials";
import { writeTempFiles } from "../support/paths";

function basicAuth(name: string, secret: string): string {
    return Buffer.from(`${name}:${secret}`).toString("base64");
}

/** Creates a keychain whose DOCKER_CONFIG folder contains `config` as config.json. */
function keychainFor(config: unknown, env: NodeJS.ProcessEnv = {}): DockerKeychain {
    const dir = writeTempFiles({ "config.json": JSON.stringify(config) });
    return new DockerKeychain({ env: { PATH: process.env.PATH, DOCKER_CONFIG: dir, ...env } });
}

/** Writes an executable `docker-credential-<name>` with `script` as its body and returns its folder. */
function writeHelper(name: string, script: string): string {
    const dir = writeTempFiles({});
    fs.writeFileSync(path.join(dir, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return dir;
}

describe("DockerKeychain", () => {
    it("finds Docker Hub under https://index.docker.io/v1/", async () => {
        const keychain = keychainFor({ auths: { "https://index.docker.io/v1/": { auth: basicAuth("hub-user", "hub-pass") } } });

        const credentials = await keychain.resolve("registry-1.docker.io", "library/alpine");

        assert.equal(credentials?.username, "hub-user");
        assert.equal(credentials?.password, "hub-pass");
        assert.equal(credentials?.source.startsWith('auths["https://index.docker.io/v1/"] in '), true);
    });

    it("matches an auths key with scheme and path", async () => {
        const keychain = keychainFor({ auths: { "https://ghcr.io/v2/": { username: "octo", password: "pat" } } });

        assert.equal((await keychain.resolve("ghcr.io", "acme/app"))?.username, "octo");
        assert.equal(await keychain.resolve("quay.io", "acme/app"), undefined);
    });

    it("reads ~/.docker/config.json when DOCKER_CONFIG is unset", async () => {
        const home = writeTempFiles({ ".docker/config.json": JSON.stringify({ auths: { "ghcr.io": { auth: basicAuth("home-user", "p") } } }) });
        const keychain = new DockerKeychain({ env: { HOME: home } });

        assert.equal((await keychain.resolve("ghcr.io", "acme/app"))?.username, "home-user");
    });

    it("prefers DOCKER_CONFIG over the home folder", async () => {
        const home = writeTempFiles({ ".docker/config.json": JSON.stringify({ auths: { "ghcr.io": { auth: basicAuth("home-user", "p") } } }) });
        const keychain = keychainFor({ auths: { "ghcr.io": { auth: basicAuth("env-user", "p") } } }, { HOME: home });

        assert.equal((await keychain.resolve("ghcr.io", "acme/app"))?.username, "env-user");
    });

    it("falls back to Podman's auth.json", async () => {
        const runtimeDir = writeTempFiles({ "containers/auth.json": JSON.stringify({ auths: { "quay.io": { auth: basicAuth("podman-user", "p") } } }) });
        const keychain = new DockerKeychain({ env: { DOCKER_CONFIG: writeTempFiles({}), XDG_RUNTIME_DIR: runtimeDir } });

        assert.equal((await keychain.resolve("quay.io", "acme/app"))?.username, "podman-user");
    });

    it("returns undefined without any config file", async () => {
        const keychain = new DockerKeychain({ env: { DOCKER_CONFIG: writeTempFiles({}) } });

        assert.equal(await keychain.resolve("ghcr.io", "acme/app"), undefined);
    });

    it("reads identitytoken and registrytoken", async () => {
        const keychain = keychainFor({ auths: { "a.example": { identitytoken: "refresh-1" }, "b.example": { registrytoken: "bearer-1" } } });

        assert.equal((await keychain.resolve("a.example", "x"))?.identityToken, "refresh-1");
        assert.equal((await keychain.resolve("b.example", "x"))?.registryToken, "bearer-1");
    });

    it("skips an entry without a secret", async () => {
        const keychain = keychainFor({ auths: { "ghcr.io": {} } });

        assert.equal(await keychain.resolve("ghcr.io", "acme/app"), undefined);
    });

    it("reports invalid JSON without quoting the file", async () => {
        const dir = writeTempFiles({ "config.json": `{"auths": {"ghcr.io": {"auth": "${basicAuth("u", "very-secret-value")}"}}` });
        const keychain = new DockerKeychain({ env: { DOCKER_CONFIG: dir } });

        await assert.rejects(keychain.resolve("ghcr.io", "acme/app"), (error: Error) => {
            assert.match(error.message, /^invalid docker config .*config\.json: it is not valid JSON/);
            assert.doesNotMatch(error.message, new RegExp(basicAuth("u", "very-secret-value")));
            return true;
        });
    });

    it("rejects an auth value without a colon", async () => {
        const keychain = keychainFor({ auths: { "ghcr.io": { auth: Buffer.from("no-colon").toString("base64") } } });

        await assert.rejects(keychain.resolve("ghcr.io", "acme/app"), /invalid auths\["ghcr\.io"\] in .*: "auth" is not base64 of user:password/);
    });

    it("matches explicit registryAuth under Docker Hub aliases", async () => {
        const keychain = new DockerKeychain({ registryAuth: [{ address: "docker.io", username: "hub", password: "p" }], env: { DOCKER_CONFIG: writeTempFiles({}) } });

        const credentials = await keychain.resolve("registry-1.docker.io", "library/alpine");

        assert.equal(credentials?.username, "hub");
        assert.equal(credentials?.source, "the registryAuth entry for docker.io");
    });

    it("rejects an explicit entry without a password", () => {
        assert.throws(() => new DockerKeychain({ registryAuth: [{ address: "ghcr.io", username: "octo" }] }), /invalid registryAuth entry for ghcr\.io: set both username and password/);
    });

    it("lets credsStore win over auths", async () => {
        const helperDir = writeHelper("store", `read -r server\nprintf '{"Username":"store-user","Secret":"s"}'`);
        const keychain = keychainFor({ credsStore: "store", auths: { "ghcr.io": { auth: basicAuth("file-user", "p") } } }, { PATH: `${helperDir}${path.delimiter}${process.env.PATH}` });

        const credentials = await keychain.resolve("ghcr.io", "acme/app");

        assert.equal(credentials?.username, "store-user");
        assert.equal(credentials?.source, "the credential helper docker-credential-store (for ghcr.io/acme/app)");
    });

    it("reports a failing helper without its output", async () => {
        const helperDir = writeHelper("broken", "echo 'leaked-helper-output'\nexit 2");
        const keychain = keychainFor({ credHelpers: { "ghcr.io": "broken" } }, { PATH: `${helperDir}${path.delimiter}${process.env.PATH}` });

        await assert.rejects(keychain.resolve("ghcr.io", "acme/app"), (error: Error) => {
            assert.match(error.message, /^docker-credential-broken get failed for ghcr\.io \(exit code 2\)/);
            assert.doesNotMatch(error.message, /leaked-helper-output/);
            return true;
        });
    });

    it("reports a helper that prints no JSON", async () => {
        const helperDir = writeHelper("chatty", "echo 'hello'");
        const keychain = keychainFor({ credHelpers: { "ghcr.io": "chatty" } }, { PATH: `${helperDir}${path.delimiter}${process.env.PATH}` });

        await assert.rejects(keychain.resolve("ghcr.io", "acme/app"), /docker-credential-chatty get for ghcr\.io did not print JSON with Username and Secret/);
    });
});
