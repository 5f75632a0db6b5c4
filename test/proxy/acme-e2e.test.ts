// ACME end to end through the real proxy: a TLS service without a certificate gets one from a local RFC 8555
// test server (HTTP-01 answered by the proxy on its HTTP port), stores it in autocert's cache layout and serves it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import tls from "node:tls";
import { acmeCacheDir } from "../../src/proxy/acme.ts";
import { startAcmeTestServer, type AcmeTestServer } from "./acme-test-server.ts";
import { ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";

let proxy: ProxyProcess;
let acme: AcmeTestServer;
let app: Upstream;

beforeAll(async () => {
  proxy = await ProxyProcess.start();
  acme = startAcmeTestServer(proxy.dir, `http://localhost:${proxy.httpPort}`);
  app = startUpstream(() => new Response("secured"));
});
afterAll(async () => {
  acme.stop();
  app.stop();
  await proxy.cleanup();
});

function issuerOf(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port, host: "127.0.0.1", servername: "localhost", rejectUnauthorized: false }, () => {
      const issuer = socket.getPeerCertificate().issuer?.CN ?? "";
      socket.end();
      resolve(String(issuer));
    });
    socket.on("error", reject);
  });
}

test("certificate obtained over HTTP-01, cached, served on HTTPS", async () => {
  const cacheRoot = join(proxy.dir, "certs");
  await proxy.terminate();
  mkdirSync(join(proxy.dir, "home/.config/kamal-proxy"), { recursive: true });
  // The CLI has no flag for a custom ACME directory (only --tls-staging); the state file carries it.
  writeFileSync(proxy.statePath, JSON.stringify([{
    name: "auto", active_targets: [app.target],
    options: { hosts: ["localhost"], tls_enabled: true, acme_directory: acme.url, acme_cache_path: cacheRoot },
  }]));
  await proxy.launch();
  const deadline = Date.now() + 15_000;
  let issuer = "";
  while (Date.now() < deadline) {
    issuer = await issuerOf(proxy.httpsPort).catch(() => "");
    if (issuer === "ACME Test CA") break;
    await Bun.sleep(200);
  }
  expect(issuer).toBe("ACME Test CA");
  expect(await proxy.waitForLog('"Obtained certificate"')).toContain('"Obtained certificate"');
  expect(existsSync(join(acmeCacheDir(cacheRoot, acme.url), "localhost"))).toBe(true);
  const res = await fetch(`https://localhost:${proxy.httpsPort}/`, { tls: { rejectUnauthorized: false } } as RequestInit);
  expect([res.status, await res.text()]).toEqual([200, "secured"]);
  const redirect = await proxy.fetch("/x", { host: "localhost" });
  expect([redirect.status, redirect.headers.get("location")]).toEqual([301, "https://localhost/x"]);
}, 30_000);
