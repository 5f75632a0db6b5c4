// On-demand TLS (kamal-proxy §2.11, §3.9): the host policy (local path probe and external URL) and the whole
// flow through the real proxy: the first handshake for a name waits while the policy allows it and a local
// RFC 8555 test server issues the certificate (HTTP-01 on the proxy's HTTP port); a denied name fails its handshake.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import tls from "node:tls";
import { clientHelloServerName } from "../../src/proxy/tls-front.ts";
import { onDemandCheckURL, OnDemandChecker, OnDemandDenied } from "../../src/proxy/tls-on-demand.ts";
import { startAcmeTestServer, type AcmeTestServer } from "./acme-test-server.ts";
import { ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";
import { http3Get } from "./support/http3.ts";
import { memoryLogger } from "./support/quiet-logger.ts";

describe("the host policy", () => {
  test("check URL: host parameter set or replaced, parameters sorted, paths stay paths", () => {
    expect(onDemandCheckURL("/allow-host", "test.example.com")).toBe("/allow-host?host=test.example.com");
    expect(onDemandCheckURL("/allow-host", "test.example.com:8080")).toBe("/allow-host?host=test.example.com%3A8080");
    expect(onDemandCheckURL("/allow-host?token=abc&host=old", "a.test")).toBe("/allow-host?host=a.test&token=abc");
    expect(onDemandCheckURL("https://auth.test/check?z=1", "a.test")).toBe("https://auth.test/check?host=a.test&z=1");
  });

  test("external URL: only a 200 allows; redirects are not followed; the denial quotes the status and body", async () => {
    const policy = startUpstream((req) => {
      const host = new URL(req.url).searchParams.get("host");
      if (host === "ok.test") return new Response("yes");
      if (host === "moved.test") return new Response(null, { status: 302, headers: { location: "/elsewhere" } });
      return new Response("x".repeat(300), { status: 403 });
    });
    const { logger, lines } = memoryLogger();
    const checker = new OnDemandChecker(logger);
    const noProbe = () => Promise.reject(new Error("no local probe expected"));
    try {
      await checker.check(`http://${policy.target}/check`, "ok.test", noProbe);
      const moved = await checker.check(`http://${policy.target}/check`, "moved.test", noProbe).catch((e: Error) => e);
      expect(moved).toBeInstanceOf(OnDemandDenied);
      expect((moved as Error).message).toBe('moved.test is not allowed to get a certificate (status: 302, body: "")');
      const denied = await checker.check(`http://${policy.target}/check`, "no.test", noProbe).catch((e: Error) => e);
      expect((denied as Error).message).toBe(`no.test is not allowed to get a certificate (status: 403, body: "${"x".repeat(256)}")`);
      expect(lines.some((l) => l.includes('"TLS on-demand check denied host"') && l.includes('"status":403'))).toBe(true);
    } finally {
      policy.stop();
    }
  });

  test("a path is asked through the local probe", async () => {
    const { logger } = memoryLogger();
    const asked: string[] = [];
    await new OnDemandChecker(logger).check("/allow", "a.test", async (pathAndQuery, host) => {
      asked.push(`${host} ${pathAndQuery}`);
      return new Response("ok");
    });
    expect(asked).toEqual(["a.test /allow?host=a.test"]);
  });
});

describe("ClientHello server names", () => {
  test("read from a real handshake; incomplete records wait; non-TLS gives none", async () => {
    const hello = await new Promise<Buffer>((resolve) => {
      const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: (socket, data) => { resolve(Buffer.from(data)); socket.end(); server.stop(true); } } });
      tls.connect({ host: "127.0.0.1", port: server.port, servername: "App.Example.com" }).on("error", () => undefined);
    });
    expect(clientHelloServerName(hello)).toBe("app.example.com");
    expect(clientHelloServerName(hello.subarray(0, 20))).toBeNull();
    expect(clientHelloServerName(Buffer.from("GET / HTTP/1.1\r\n\r\n"))).toBe("");
  });
});

describe("on-demand certificates through the proxy", () => {
  let proxy: ProxyProcess;
  let acme: AcmeTestServer;
  let app: Upstream;
  const probes: Array<{ host: string | null; proto: string | null; query: string }> = [];

  beforeAll(async () => {
    proxy = await ProxyProcess.start();
    acme = startAcmeTestServer(proxy.dir, `http://localhost:${proxy.httpPort}`);
    app = startUpstream((req) => {
      const url = new URL(req.url);
      if (url.pathname === "/allow") {
        probes.push({ host: req.headers.get("host"), proto: req.headers.get("x-forwarded-proto"), query: url.search });
        return url.searchParams.get("host") === "localhost" ? new Response("ok") : new Response(`nope: ${url.searchParams.get("host")}`, { status: 403 });
      }
      return new Response("secured on demand");
    });
    await proxy.terminate();
    mkdirSync(join(proxy.dir, "home/.config/kamal-proxy"), { recursive: true });
    // The CLI has no flag for a custom ACME directory (only --tls-staging); the state file carries it.
    writeFileSync(proxy.statePath, JSON.stringify([{
      name: "ondemand", active_targets: [app.target],
      options: { hosts: [], tls_enabled: true, tls_on_demand_url: "/allow", acme_directory: acme.url, acme_cache_path: join(proxy.dir, "certs") },
    }]));
    await proxy.launch(["--http3"]);
  });
  afterAll(async () => {
    acme.stop();
    app.stop();
    await proxy.cleanup();
  });

  function handshake(servername: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ port: proxy.httpsPort, host: "127.0.0.1", servername, rejectUnauthorized: false }, () => {
        const issuer = String(socket.getPeerCertificate().issuer?.CN ?? "");
        socket.end();
        resolve(issuer);
      });
      socket.setTimeout(15_000, () => socket.destroy(new Error("handshake timed out")));
      socket.on("error", reject);
    });
  }

  test("the first handshake for an allowed name waits for its certificate, then HTTPS works", async () => {
    expect(await handshake("localhost")).toBe("ACME Test CA");
    expect(probes).toEqual([{ host: "localhost", proto: "http", query: "?host=localhost" }]);
    expect(await proxy.waitForLog('"Obtained certificate"')).toContain('"host":"localhost"');
    const res = await fetch(`https://localhost:${proxy.httpsPort}/`, { tls: { rejectUnauthorized: false } } as RequestInit);
    expect([res.status, await res.text()]).toEqual([200, "secured on demand"]);
    // --http3 behind the front: QUIC on the public port with the on-demand certificate, advertised on TCP answers.
    expect(res.headers.get("alt-svc")).toBe(`h3=":${proxy.httpsPort}"; ma=2592000`);
    expect(await http3Get(`https://localhost:${proxy.httpsPort}/over-h3`)).toEqual({ status: "200", body: "secured on demand", altSvc: null });
    // Behind the front, the log still names the real client (its port, not the relay's).
    const { localPort, answer } = await new Promise<{ localPort: number; answer: string }>((resolve, reject) => {
      const socket = tls.connect({ port: proxy.httpsPort, host: "127.0.0.1", servername: "localhost", rejectUnauthorized: false }, () => {
        socket.write("GET /peer HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      });
      let answer = "";
      socket.on("data", (d) => (answer += d));
      socket.on("end", () => resolve({ localPort: socket.localPort!, answer }));
      socket.on("error", reject);
    });
    expect(answer).toStartWith("HTTP/1.1 200");
    const line = JSON.parse(await proxy.waitForLog('"path":"/peer"'));
    expect(line).toMatchObject({ status: 200, scheme: "https", client_addr: "127.0.0.1", client_port: String(localPort), service: "ondemand" });
    expect(await handshake("localhost")).toBe("ACME Test CA");
    expect(probes.length).toBe(1); // a name with a certificate is not asked again
  });

  test("a denied name fails its handshake and is logged with the policy's answer", async () => {
    const failed = await handshake("denied.test").then(() => null, (error: Error) => error);
    expect(failed).toBeInstanceOf(Error);
    const line = await proxy.waitForLog('"TLS on-demand check denied host"');
    expect(JSON.parse(line)).toMatchObject({ host: "denied.test", status: 403, body: "nope: denied.test" });
  });

  test("a service with its own certificate is served through the front, and without on-demand services the front goes", async () => {
    const cert = join(proxy.dir, "static.pem");
    const key = join(proxy.dir, "static.key");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30",
      "-keyout", key, "-out", cert, "-subj", "/CN=Static Test CA", "-addext", "subjectAltName=DNS:static.test"]);
    expect(made.status).toBe(0);
    await proxy.ok("deploy", "static", "--target", app.target, "--host", "static.test", "--tls", "--tls-certificate-path", cert, "--tls-private-key-path", key);
    const asked = probes.length;
    expect(await handshake("static.test")).toBe("Static Test CA");
    expect(probes.length).toBe(asked); // not an on-demand name: no policy check
    await proxy.ok("remove", "ondemand");
    for (let i = 0; i < 3; i++) expect(await handshake("static.test")).toBe("Static Test CA");
    // Direct mode again: Bun.serve answers unknown names with its default certificate instead of asking anyone.
    expect(await handshake("localhost")).toBe("Static Test CA");
    expect(probes.length).toBe(asked);
  });
});
