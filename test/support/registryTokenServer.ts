import { execFileSync } from "node:child_process";
import { createPrivateKey, createSign, randomUUID, X509Certificate, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { TokenAuthSettings } from "./registryServer";

/** One request the token server received. */
export interface TokenRequest {
    /** `GET` for the token flow with Basic credentials, `POST` for the OAuth2 refresh-token grant. */
    readonly method: string;
    /** The user of the credentials, or undefined for an anonymous request. */
    readonly user?: string;
    readonly scopes: string[];
    /** The HTTP status of the response. */
    readonly status: number;
}

/** A token server for a registry in `token` mode, as in the distribution token specification. */
export interface TokenServer {
    /** Settings for {@link startTestRegistry}'s `token` option. */
    readonly settings: TokenAuthSettings;
    /** Every request so far, in order. */
    readonly requests: TokenRequest[];
    stop(): Promise<void>;
}

/** Token lifetime in seconds. No token expires during a test, so a repeated request for a scope means a cache miss. */
const tokenLifetimeSeconds = 300;

/**
 * Starts an HTTP token server on 127.0.0.1. Known users with the right password, and callers
 * that `POST` a known refresh token (`identityTokens`, mapped to their user), get tokens that
 * grant every requested action. Anonymous callers get tokens that grant nothing, as public
 * registries do for private repositories. A wrong password or refresh token gets 401. Tokens are JWTs signed
 * with RS256 by a throw-away key whose self-signed certificate (made by the `openssl` command)
 * travels in the `x5c` header, which distribution 2.8 checks against `rootcertbundle`.
 */
export async function startTokenServer(users: Record<string, string>, identityTokens: Record<string, string> = {}): Promise<TokenServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-token-"));
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=pulumi-kos-test-token-issuer"], {
        stdio: "ignore",
    });
    const key = createPrivateKey(fs.readFileSync(keyFile));
    const certificateDer = new X509Certificate(fs.readFileSync(certFile)).raw.toString("base64");
    const issuer = "pulumi-kos-test-issuer";
    const service = "pulumi-kos-test-registry";
    const requests: TokenRequest[] = [];

    const server = http.createServer(async (request, response) => {
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        let scopeParams = url.searchParams.getAll("scope");
        let user: { name: string; valid: boolean } | undefined;
        if (request.method === "POST") {
            const form = new URLSearchParams(await readBody(request));
            scopeParams = form.getAll("scope");
            const refreshToken = form.get("refresh_token") ?? "";
            const known = form.get("grant_type") === "refresh_token" ? identityTokens[refreshToken] : undefined;
            user = { name: known ?? "<unknown refresh token>", valid: known !== undefined };
        } else {
            const basic = basicUser(request.headers.authorization);
            user = basic && { name: basic.name, valid: users[basic.name] === basic.password };
        }
        const scopes = scopeParams.flatMap((scope) => scope.split(" ")).filter((scope) => scope !== "");
        const method = request.method ?? "GET";

        if (user && !user.valid) {
            requests.push({ method, user: user.name, scopes, status: 401 });
            response.writeHead(401, { "Content-Type": "application/json" });
            response.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "invalid user name or password" }] }));
            return;
        }
        requests.push({ method, user: user?.name, scopes, status: 200 });
        const access = user === undefined ? [] : scopes.map(parseScope).filter((entry) => entry !== undefined);
        const token = signToken(key, certificateDer, { iss: issuer, sub: user?.name ?? "", aud: service, access });
        response.writeHead(200, { "Content-Type": "application/json" });
        // The OAuth2 response names the token access_token; the plain token flow names it token.
        response.end(JSON.stringify(method === "POST" ? { access_token: token, expires_in: tokenLifetimeSeconds } : { token, expires_in: tokenLifetimeSeconds }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;

    return {
        settings: { realm: `http://127.0.0.1:${port}/token`, service, issuer, rootCertBundle: certFile },
        requests,
        stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

async function readBody(request: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
}

function basicUser(header: string | undefined): { name: string; password: string } | undefined {
    if (!header?.startsWith("Basic ")) return undefined;
    const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Parses `repository:<name>:<actions>`; repository names contain no colon, tags are not part of a scope. */
function parseScope(scope: string): { type: string; name: string; actions: string[] } | undefined {
    const match = /^([a-z]+):([^:]+):(.*)$/.exec(scope);
    return match ? { type: match[1], name: match[2], actions: match[3].split(",") } : undefined;
}

function signToken(key: KeyObject, certificateDer: string, claims: { iss: string; sub: string; aud: string; access: unknown[] }): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: "JWT", alg: "RS256", x5c: [certificateDer] };
    const payload = { ...claims, iat: now, nbf: now - 10, exp: now + tokenLifetimeSeconds, jti: randomUUID() };
    const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}`;
    const signature = createSign("RSA-SHA256").update(signingInput).sign(key);
    return `${signingInput}.${base64Url(signature)}`;
}

function base64Url(data: string | Buffer): string {
    return Buffer.from(data).toString("base64url");
}
