// The ACME client's offline parts. The full order flow against an ACME server is not tested here: no ACME test
// server (pebble) is installable offline from the registries this project may use.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createPublicKey, verify } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCsr, derOid, generateEcKey, jwkThumbprint, keyAuthorization, publicJwk, signJws, toPem } from "../../src/proxy/acme-crypto.ts";
import { Http01Responder, acmeCacheDir, needsRenewal, readCachedCertificate, splitCachedCertificate } from "../../src/proxy/acme.ts";

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
