import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import {
  CertificateLoadError, TlsCertificates, hostLookupKeys, hostWithoutPort, loadCertificatePair, redirectResponse,
  type CertificatePair,
} from "../../src/proxy/tls.ts";

const execFileAsync = promisify(execFile);
let dir: string;
const pairs: Record<string, CertificatePair> = {};

/** A self-signed certificate made by openssl for `names` (first = CN); EC P-256 unless rsa. */
function makeCert(file: string, names: string[], rsa = false): void {
  const keyArgs = rsa ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
  const result = spawnSync("openssl", [
    "req", "-x509", ...keyArgs, "-nodes", "-days", "2", "-keyout", join(dir, `${file}.key`), "-out", join(dir, `${file}.crt`),
    "-subj", `/CN=${names[0]}`, "-addext", `subjectAltName=${names.map((n) => `DNS:${n}`).join(",")}`,
  ], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tls-test-"));
  makeCert("app", ["app.example.test", "www.app.example.test"]);
  makeCert("other", ["other.example.test"], true);
  makeCert("wild", ["*.wild.example.test"]);
  makeCert("any", ["catch-all.example.test"]);
  for (const name of ["app", "other", "wild", "any"]) pairs[name] = await loadCertificatePair(join(dir, `${name}.crt`), join(dir, `${name}.key`));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loading certificates", () => {
  test("EC and RSA pairs load, with their DNS names and expiry", () => {
    expect(pairs.app.names).toEqual(["app.example.test", "www.app.example.test"]);
    expect(pairs.other.names).toEqual(["other.example.test"]);
    expect(pairs.app.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  test("missing file, garbage key and mismatched key fail with `unable to load certificate`", async () => {
    writeFileSync(join(dir, "garbage.key"), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
    const attempts = [
      ["nope.crt", "app.key"],
      ["app.crt", "garbage.key"],
      ["app.crt", "other.key"],
    ];
    for (const [cert, key] of attempts) {
      const error = await loadCertificatePair(join(dir, cert), join(dir, key)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CertificateLoadError);
      expect((error as Error).message).toBe("unable to load certificate");
    }
  });
});

describe("host rules", () => {
  test("lookup keys: exact, one-level wildcard, catch-all", () => {
    expect(hostLookupKeys("a.b.example.com")).toEqual(["a.b.example.com", "*.b.example.com", ""]);
    expect(hostLookupKeys("localhost")).toEqual(["localhost", ""]);
  });

  test("port stripping", () => {
    expect(hostWithoutPort("example.com:8080")).toBe("example.com");
    expect(hostWithoutPort("[::1]:80")).toBe("::1");
    expect(hostWithoutPort("example.com")).toBe("example.com");
  });

  test("certificate selection by SNI", () => {
    const certs = new TlsCertificates();
    certs.set("app", ["app.example.test", "www.app.example.test"], pairs.app);
    certs.set("wild", ["*.wild.example.test"], pairs.wild);
    expect(certs.certificateFor("www.app.example.test")).toBe(pairs.app);
    expect(certs.certificateFor("x.wild.example.test")).toBe(pairs.wild);
    expect(certs.certificateFor("a.x.wild.example.test")).toBeUndefined();
    expect(certs.certificateFor("unknown.test")).toBeUndefined();
    certs.set("any", [], pairs.any);
    expect(certs.certificateFor("unknown.test")).toBe(pairs.any);
    expect(certs.defaultHostname()).toBe("app.example.test");
    certs.remove("app");
    expect(certs.certificateFor("app.example.test")).toBe(pairs.any);
  });

  test("a wildcard first host is a usable default hostname", () => {
    const certs = new TlsCertificates();
    certs.set("wild", ["*.wild.example.test"], pairs.wild);
    expect(certs.defaultHostname()).toBe("*.wild.example.test");
    expect(certs.certificateFor(certs.defaultHostname()!)).toBe(pairs.wild);
    expect(certs.bunTlsOptions()[0]).toEqual({ cert: pairs.wild.certPem, key: pairs.wild.keyPem });
  });
});

/** Handshake with SNI `servername` (undefined = none); returns the CN the server presented, or the error message. */
function presentedName(port: number, servername: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: "127.0.0.1", port, servername, rejectUnauthorized: false }, () => {
      const cn = socket.getPeerCertificate().subject?.CN;
      socket.end();
      resolve(String(cn));
    });
    socket.on("error", (error) => resolve(`error: ${error.message}`));
  });
}

describe("real TLS handshakes", () => {
  test("Bun.serve with bunTlsOptions(): SNI picks the service certificate, wildcard one level, fallback first entry", async () => {
    const certs = new TlsCertificates();
    certs.set("app", ["app.example.test", "www.app.example.test"], pairs.app);
    certs.set("other", ["other.example.test"], pairs.other);
    certs.set("wild", ["*.wild.example.test"], pairs.wild);
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", tls: certs.bunTlsOptions(), fetch: () => new Response("secure") });
    try {
      expect(await presentedName(server.port!, "other.example.test")).toBe("other.example.test");
      expect(await presentedName(server.port!, "www.app.example.test")).toBe("app.example.test");
      expect(await presentedName(server.port!, "x.wild.example.test")).toBe("*.wild.example.test");
      expect(await presentedName(server.port!, undefined)).toBe("app.example.test");
      // A verified HTTPS request with curl, trusting only the service's certificate.
      const curl = await execFileAsync("curl", ["-sS", "--cacert", join(dir, "other.crt"), "--resolve",
        `other.example.test:${server.port}:127.0.0.1`, `https://other.example.test:${server.port}/`], { encoding: "utf8" });
      expect(curl.stderr).toBe("");
      expect(curl.stdout).toBe("secure");
    } finally {
      server.stop(true);
    }
  });

  test("node:tls with sniCallback(): dynamic certificates and `unknown server name` handshake failure", async () => {
    const certs = new TlsCertificates();
    certs.set("app", ["app.example.test"], pairs.app);
    const server = tls.createServer({ SNICallback: certs.sniCallback() }, (socket) => socket.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await presentedName(port, "app.example.test")).toBe("app.example.test");
      expect(await presentedName(port, "nobody.example.test")).toStartWith("error:");
      certs.set("other", ["other.example.test"], pairs.other);
      expect(await presentedName(port, "other.example.test")).toBe("other.example.test");
    } finally {
      server.close();
    }
  });
});

describe("redirects", () => {
  const tlsOn = { tlsEnabled: true, tlsRedirect: true, canonicalHost: "" };
  const req = (url: string, method = "GET", host?: string) =>
    new Request(url, { method, headers: { host: host ?? new URL(url).host } });

  test("HTTP -> HTTPS drops the port, keeps path and query, Go's body and headers", async () => {
    const res = redirectResponse(req("http://example.com:8080/a/b?x=1&y=2"), tlsOn, false)!;
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("https://example.com/a/b?x=1&y=2");
    expect(res.headers.get("connection")).toBe("close");
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toBe('<a href="https://example.com/a/b?x=1&amp;y=2">Moved Permanently</a>.\n\n');
  });

  test("no redirect over TLS, with --tls-redirect=false, or without TLS", () => {
    expect(redirectResponse(req("https://example.com/"), tlsOn, true)).toBeUndefined();
    expect(redirectResponse(req("http://example.com/"), { ...tlsOn, tlsRedirect: false }, false)).toBeUndefined();
    expect(redirectResponse(req("http://example.com/"), { ...tlsOn, tlsEnabled: false }, false)).toBeUndefined();
  });

  test("canonical host, combined with the scheme in one hop; POST has no body or content type", async () => {
    const canonical = { ...tlsOn, canonicalHost: "example.com" };
    const res = redirectResponse(req("http://www.example.com/p", "POST"), canonical, false)!;
    expect(res.headers.get("location")).toBe("https://example.com/p");
    expect(res.headers.get("content-type")).toBeNull();
    expect(await res.text()).toBe("");
    expect(redirectResponse(req("https://example.com/p"), canonical, true)).toBeUndefined();
    const plain = redirectResponse(req("http://www.example.com/"), { tlsEnabled: false, tlsRedirect: true, canonicalHost: "example.com" }, false)!;
    expect(plain.headers.get("location")).toBe("http://example.com/");
  });
});

test("fixtures are PEM files made by openssl", () => {
  expect(readFileSync(join(dir, "app.crt"), "utf8")).toStartWith("-----BEGIN CERTIFICATE-----");
});
