// The ACME client: its crypto against openssl, and the whole HTTP-01 order flow against a small RFC 8555 server
// written for these tests (test/proxy/acme-test-server.ts): no ACME test server (pebble) installs offline here,
// so the flow is not tested against Let's Encrypt's own software.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createPublicKey, verify } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCsr, derOid, generateEcKey, jwkThumbprint, keyAuthorization, publicJwk, signJws, toPem } from "../../src/proxy/acme-crypto.ts";
import { AcmeClient, Http01Responder, acmeCacheDir, needsRenewal, readCachedCertificate, splitCachedCertificate } from "../../src/proxy/acme.ts";
import { parseCertificatePair } from "../../src/proxy/tls.ts";
import { startAcmeTestServer } from "./acme-test-server.ts";

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "acme-test-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync("openssl", args, { input, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function selfSigned(name: string, days: number): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const r = openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", String(days),
    "-keyout", key, "-out", cert, "-subj", `/CN=${name}`]);
  if (r.status !== 0) throw new Error(r.out);
  return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
}

describe("CSR", () => {
  test("openssl verifies its signature and reads CN and subjectAltName", () => {
    const key = generateEcKey();
    const pem = toPem("CERTIFICATE REQUEST", createCsr(key, ["app.example.com", "www.app.example.com"]));
    const r = openssl(["req", "-noout", "-verify", "-text"], pem);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/verify OK/);
    expect(r.out).toContain("CN = app.example.com");
    expect(r.out).toContain("DNS:app.example.com, DNS:www.app.example.com");
    expect(r.out).toContain("ecdsa-with-SHA256");
  });

  test("DER object identifiers", () => {
    expect(derOid("1.2.840.10045.4.3.2").toString("hex")).toBe("06082a8648ce3d040302");
    expect(derOid("2.5.29.17").toString("hex")).toBe("0603551d11");
  });
});

describe("JWS", () => {
  test("new-account requests carry the JWK, later ones the kid; ES256 signature verifies", () => {
    const key = generateEcKey();
    const first = signJws(key, "https://acme.test/new-acct", "nonce1", { termsOfServiceAgreed: true });
    const header = JSON.parse(Buffer.from(first.protected, "base64url").toString());
    expect(header).toEqual({ alg: "ES256", nonce: "nonce1", url: "https://acme.test/new-acct", jwk: publicJwk(key) });
    expect(JSON.parse(Buffer.from(first.payload, "base64url").toString())).toEqual({ termsOfServiceAgreed: true });
    const signed = Buffer.from(`${first.protected}.${first.payload}`);
    const signature = Buffer.from(first.signature, "base64url");
    expect(signature.length).toBe(64);
    expect(verify("sha256", signed, { key: createPublicKey(key), dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
    expect(verify("sha256", Buffer.from("tampered"), { key: createPublicKey(key), dsaEncoding: "ieee-p1363" }, signature)).toBe(false);

    const later = signJws(key, "https://acme.test/order/1", "nonce2", undefined, "https://acme.test/acct/7");
    expect(JSON.parse(Buffer.from(later.protected, "base64url").toString())).toEqual({
      alg: "ES256", nonce: "nonce2", url: "https://acme.test/order/1", kid: "https://acme.test/acct/7",
    });
    expect(later.payload).toBe("");
  });

  test("key authorization is token.thumbprint, stable per key", () => {
    const key = generateEcKey();
    const thumbprint = jwkThumbprint(key);
    expect(thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keyAuthorization("tok", key)).toBe(`tok.${thumbprint}`);
    expect(jwkThumbprint(generateEcKey())).not.toBe(thumbprint);
  });
});

describe("HTTP-01 responder", () => {
  test("answers known tokens, 404 unknown, 403 for disallowed hosts, ignores other paths", async () => {
    const responder = new Http01Responder();
    responder.add("abc", "abc.thumb");
    expect(await responder.respond("/.well-known/acme-challenge/abc")!.text()).toBe("abc.thumb");
    expect(responder.respond("/.well-known/acme-challenge/nope")!.status).toBe(404);
    expect(responder.respond("/.well-known/acme-challenge/abc", false)!.status).toBe(403);
    expect(responder.respond("/index.html")).toBeUndefined();
    responder.remove("abc");
    expect(responder.respond("/.well-known/acme-challenge/abc")!.status).toBe(404);
  });
});

describe("certificate cache (autocert DirCache layout)", () => {
  test("cache dir is named by the sha256 of the acme_directory option", () => {
    expect(acmeCacheDir("/c", "")).toBe("/c/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  test("reads `<domain>` and `<domain>+rsa` files holding key then chain", async () => {
    const cache = join(dir, "cache");
    mkdirSync(cache);
    const a = selfSigned("a.example.test", 90);
    const b = selfSigned("b.example.test", 90);
    writeFileSync(join(cache, "a.example.test"), a.key + a.cert);
    writeFileSync(join(cache, "b.example.test+rsa"), b.key + b.cert);
    expect(await readCachedCertificate(cache, "a.example.test")).toEqual({ keyPem: a.key, certPem: a.cert });
    expect((await readCachedCertificate(cache, "b.example.test"))?.certPem).toBe(b.cert);
    expect(await readCachedCertificate(cache, "c.example.test")).toBeUndefined();
    expect(() => splitCachedCertificate(a.cert)).toThrow("private key");
  });

  test("renewal 30 days before expiry", () => {
    expect(needsRenewal(selfSigned("short.example.test", 2).cert)).toBe(true);
    expect(needsRenewal(selfSigned("long.example.test", 90).cert)).toBe(false);
  });
});

describe("HTTP-01 order flow against a local ACME server", () => {
  test("account, order, challenge over HTTP, finalize, download, cache; then served from the cache", async () => {
    const work = join(dir, "flow");
    mkdirSync(work);
    const responder = new Http01Responder();
    const challengeServer = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => responder.respond(new URL(req.url).pathname) ?? new Response("app", { status: 200 }) });
    const acme = startAcmeTestServer(work, `http://127.0.0.1:${challengeServer.port}`, { rejectFirstNonce: true });
    try {
      const cacheDir = acmeCacheDir(join(work, "certs"), acme.url);
      const client = new AcmeClient({ directoryUrl: acme.url, cacheDir, responder, pollIntervalMs: 10, timeoutMs: 10_000 });
      const { keyPem, certPem } = await client.certificate("app.example.test");
      const pair = parseCertificatePair(certPem, keyPem);
      expect(pair.names).toEqual(["app.example.test"]);
      writeFileSync(join(work, "chain.pem"), certPem);
      const verified = openssl(["verify", "-CAfile", join(work, "ca.crt"), join(work, "chain.pem")]);
      expect(verified.out).toContain(": OK");
      expect(readFileSync(join(cacheDir, "app.example.test"), "utf8")).toBe(keyPem + certPem);
      expect(readFileSync(join(cacheDir, "acme_account+key"), "utf8")).toContain("PRIVATE KEY");
      expect(acme.requests.filter((r) => r === "POST /account")).toHaveLength(2); // one badNonce retry
      expect(acme.requests.some((r) => r.startsWith("POST /chall/"))).toBe(true);
      expect(responder.respond("/.well-known/acme-challenge/anything")!.status).toBe(404);

      const before = acme.requests.length;
      const again = await new AcmeClient({ directoryUrl: acme.url, cacheDir, responder }).certificate("app.example.test");
      expect(again.certPem).toBe(certPem);
      expect(acme.requests.length).toBe(before);
    } finally {
      acme.stop();
      challengeServer.stop(true);
    }
  });

  test("a failed challenge fails the order with a clear error", async () => {
    const work = join(dir, "failing");
    mkdirSync(work);
    const responder = new Http01Responder();
    const silent = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("nope", { status: 404 }) });
    const acme = startAcmeTestServer(work, `http://127.0.0.1:${silent.port}`);
    try {
      const client = new AcmeClient({ directoryUrl: acme.url, cacheDir: join(work, "certs"), responder, pollIntervalMs: 10, timeoutMs: 5_000 });
      await expect(client.certificate("bad.example.test")).rejects.toThrow("ACME authorization for bad.example.test ended invalid");
    } finally {
      acme.stop();
      silent.stop(true);
    }
  });
});
