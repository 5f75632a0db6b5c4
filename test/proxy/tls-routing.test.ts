// TLS through the real proxy (kamal-proxy §2.3 step 1-2, §2.11): static certificate, HTTP->HTTPS 301,
// --tls-redirect=false, X-Forwarded-Proto, HTTPS to a non-TLS service => 503, path services inheriting TLS.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { acmeCacheDir } from "../../src/proxy/acme.ts";
import { join } from "node:path";
import { ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";
import { http3Get } from "./support/http3.ts";

let proxy: ProxyProcess;
let echo: Upstream;
let cert: string;
let key: string;

beforeAll(async () => {
  proxy = await ProxyProcess.start();
  cert = join(proxy.dir, "cert.pem");
  key = join(proxy.dir, "key.pem");
  const made = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "90",
    "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]);
  if (made.status !== 0) throw new Error(String(made.stderr));
  echo = startUpstream((req) => new Response(`${new URL(req.url).pathname} proto=${req.headers.get("x-forwarded-proto")}`));
});
afterAll(async () => {
  echo.stop();
  await proxy.cleanup();
});

const https = (path: string, host?: string) =>
  fetch(`https://localhost:${proxy.httpsPort}${path}`, { headers: host ? { host } : {}, tls: { rejectUnauthorized: false }, redirect: "manual" } as RequestInit);

describe("static certificate", () => {
  test("HTTP is redirected with 301 (port dropped), HTTPS is proxied with X-Forwarded-Proto https", async () => {
    await proxy.ok("deploy", "secure", "--target", echo.target, "--host", "localhost", "--tls", "--tls-certificate-path", cert, "--tls-private-key-path", key);
    const redirect = await proxy.fetch("/path?q=1", { host: "localhost" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("https://localhost/path?q=1");
    expect(await redirect.text()).toBe('<a href="https://localhost/path?q=1">Moved Permanently</a>.\n\n');
    const post = await proxy.fetch("/", { host: "localhost", method: "POST" });
    expect([post.status, await post.text()]).toEqual([301, ""]);
    const res = await https("/hello");
    expect([res.status, await res.text()]).toEqual([200, "/hello proto=https"]);
    expect((await proxy.cli("list")).stdout).toContain("yes");
  });

  test("path services inherit TLS from the root service", async () => {
    await proxy.ok("deploy", "secure-api", "--target", echo.target, "--host", "localhost", "--path-prefix", "/api");
    const res = await https("/api/x");
    expect([res.status, await res.text()]).toEqual([200, "/x proto=https"]);
    expect((await proxy.fetch("/api/x", { host: "localhost" })).status).toBe(301);
    await proxy.ok("remove", "secure-api");
  });

  test("the HTTPS port keeps answering while the certificate set changes", async () => {
    let failures = 0;
    let done = false;
    const load = (async () => {
      while (!done) {
        const res = await https("/").catch(() => null);
        if (!res || res.status !== 200) failures++;
        else await res.text();
      }
    })();
    for (let i = 0; i < 5; i++) {
      await proxy.ok("deploy", `extra${i}`, "--target", echo.target, "--host", `extra${i}.test`, "--tls", "--tls-certificate-path", cert, "--tls-private-key-path", key);
    }
    done = true;
    await load;
    expect(failures).toBe(0);
    for (let i = 0; i < 5; i++) await proxy.ok("remove", `extra${i}`);
  });

  test("HTTP/2 over TLS (ALPN h2) is served too", async () => {
    await proxy.ok("deploy", "secure", "--target", echo.target, "--host", "localhost", "--tls", "--tls-certificate-path", cert, "--tls-private-key-path", key);
    const { connect } = await import("node:http2");
    const session = connect(`https://localhost:${proxy.httpsPort}`, { rejectUnauthorized: false });
    try {
      const { status, body, alpn } = await new Promise<{ status: number; body: string; alpn: string }>((resolve, reject) => {
        const stream = session.request({ ":path": "/h2" });
        let status = 0;
        let body = "";
        stream.on("response", (headers) => (status = Number(headers[":status"])));
        stream.on("data", (chunk) => (body += chunk));
        stream.on("end", () => resolve({ status, body, alpn: String((session.socket as { alpnProtocol?: string }).alpnProtocol) }));
        stream.on("error", reject);
        stream.end();
      });
      expect([alpn, status, body]).toEqual(["h2", 200, "/h2 proto=https"]);
    } finally {
      session.close();
    }
  });

  test("--tls-redirect=false serves both schemes", async () => {
    await proxy.ok("deploy", "secure", "--target", echo.target, "--host", "localhost", "--tls", "--tls-redirect=false", "--tls-certificate-path", cert, "--tls-private-key-path", key);
    const plain = await proxy.fetch("/", { host: "localhost" });
    expect([plain.status, await plain.text()]).toEqual([200, "/ proto=http"]);
    expect(await (await https("/")).text()).toBe("/ proto=https");
  });

  test("an HTTPS request routed to a non-TLS service gets 503", async () => {
    await proxy.ok("deploy", "plain", "--target", echo.target, "--host", "plain.test");
    expect((await proxy.fetch("/", { host: "plain.test" })).status).toBe(200);
    const res = await https("/", "plain.test");
    expect(res.status).toBe(503);
    await proxy.ok("remove", "plain");
  });

  test("unreadable certificate: deploy fails, old settings stay", async () => {
    const result = await proxy.cli("deploy", "secure", "--target", echo.target, "--host", "localhost", "--tls", "--tls-certificate-path", "/nope.pem", "--tls-private-key-path", key);
    expect([result.code, result.stderr]).toEqual([1, "Error: unable to load certificate\n"]);
    expect((await https("/")).status).toBe(200);
  });

  test("ACME service: certificate read from autocert's cache layout; challenge path answered by the proxy", async () => {
    await proxy.ok("remove", "secure");
    const cacheRoot = join(proxy.dir, "certs");
    const cacheDir = acmeCacheDir(cacheRoot, "");
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, "localhost"), readFileSync(key, "utf8") + readFileSync(cert, "utf8"));
    await proxy.ok("deploy", "auto", "--target", echo.target, "--host", "localhost", "--tls", "--tls-acme-cache-path", cacheRoot);
    await Bun.sleep(100);
    const res = await https("/auto");
    expect([res.status, await res.text()]).toEqual([200, "/auto proto=https"]);
    const challenge = await proxy.fetch("/.well-known/acme-challenge/unknown-token", { host: "localhost" });
    expect([challenge.status, await challenge.text()]).toEqual([404, "Not Found\n"]);
    await proxy.ok("remove", "auto");
  });
});

describe("HTTP/3 (--http3)", () => {
  const udpPortFree = (port: number) => new Promise<boolean>((resolve) => {
    const socket = createSocket("udp6");
    socket.once("error", () => resolve(false));
    socket.bind(port, "::", () => socket.close(() => resolve(true)));
  });

  test("without the flag: no Alt-Svc, the UDP port stays free", async () => {
    await proxy.ok("deploy", "secure", "--target", echo.target, "--host", "localhost", "--tls", "--tls-certificate-path", cert, "--tls-private-key-path", key);
    const res = await https("/");
    expect([res.status, res.headers.get("alt-svc")]).toEqual([200, null]);
    expect(await udpPortFree(proxy.httpsPort)).toBe(true);
  });

  test("with it: TCP answers advertise h3 on the HTTPS port, and an HTTP/3 request is served", async () => {
    const h3proxy = await ProxyProcess.start({ extraArgs: ["--http3"] });
    try {
      await h3proxy.ok("deploy", "secure", "--target", echo.target, "--host", "localhost", "--tls", "--tls-certificate-path", cert, "--tls-private-key-path", key);
      const res = await fetch(`https://localhost:${h3proxy.httpsPort}/tcp`, { tls: { rejectUnauthorized: false } } as RequestInit);
      expect(res.status).toBe(200);
      expect(res.headers.get("alt-svc")).toContain(`h3=":${h3proxy.httpsPort}"`);
      expect(await http3Get(`https://localhost:${h3proxy.httpsPort}/h3`)).toEqual({ status: "200", body: "/h3 proto=https", altSvc: null });
      expect(await udpPortFree(h3proxy.httpsPort)).toBe(false);
    } finally {
      await h3proxy.cleanup();
    }
  });
});
