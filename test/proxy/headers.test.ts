// Headers through the real proxy (kamal-proxy §2.1, §2.8): X-Forwarded-*, X-Request-ID, X-Request-Start,
// X-Kamal-Target, Host and raw query preserved, --client-ip-header, hop-by-hop.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";

let proxy: ProxyProcess;
let echo: Upstream;

beforeAll(async () => {
  proxy = await ProxyProcess.start();
  echo = startUpstream((req) => Response.json({ url: req.url, headers: Object.fromEntries(req.headers) }));
  await proxy.ok("deploy", "plain", "--target", echo.target, "--host", "plain.test", "--forward-headers=false");
  await proxy.ok("deploy", "trusting", "--target", echo.target, "--host", "trusting.test");
  await proxy.ok("deploy", "clientip", "--target", echo.target, "--host", "clientip.test", "--client-ip-header", "True-Client-IP");
});
afterAll(async () => {
  echo.stop();
  await proxy.cleanup();
});

async function upstreamSees(host: string, headers: Record<string, string> = {}, path = "/") {
  const res = await proxy.fetch(path, { host, headers });
  expect(res.status).toBe(200);
  return (await res.json()) as { url: string; headers: Record<string, string> };
}

describe("forwarded headers", () => {
  const spoofed = { "X-Forwarded-For": "10.10.10.10", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.test", Forwarded: "for=1.2.3.4", "X-Custom": "kept" };

  test("without --forward-headers the client's values are replaced", async () => {
    const { headers } = await upstreamSees("plain.test", spoofed);
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers["x-forwarded-host"]).toBe("plain.test");
    expect(headers.forwarded).toBeUndefined();
    expect(headers["x-custom"]).toBe("kept");
    expect(headers["x-kamal-target"]).toBe(echo.target);
  });

  test("with --forward-headers (default without TLS) they are passed on and appended to", async () => {
    const { headers } = await upstreamSees("trusting.test", { ...spoofed, "X-Kamal-Target": "outer:80" });
    expect(headers["x-forwarded-for"]).toBe("10.10.10.10, 127.0.0.1");
    expect(headers["x-forwarded-proto"]).toBe("https");
    expect(headers["x-forwarded-host"]).toBe("evil.test");
    expect(headers.forwarded).toBeUndefined();
    expect(headers["x-kamal-target"]).toBe(`outer:80, ${echo.target}`);
    const bare = await upstreamSees("trusting.test");
    expect(bare.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(bare.headers["x-forwarded-proto"]).toBe("http");
    expect(bare.headers["x-forwarded-host"]).toBe("trusting.test");
  });

  test("--client-ip-header replaces the incoming X-Forwarded-For and shows as remote_addr", async () => {
    const { headers } = await upstreamSees("clientip.test", { "True-Client-IP": "203.0.113.9", "X-Forwarded-For": "6.6.6.6" });
    expect(headers["x-forwarded-for"]).toBe("203.0.113.9, 127.0.0.1");
    expect(headers["true-client-ip"]).toBe("203.0.113.9");
    const without = await upstreamSees("clientip.test", { "X-Forwarded-For": "6.6.6.6" });
    expect(without.headers["x-forwarded-for"]).toBe("6.6.6.6, 127.0.0.1");
    expect(await proxy.waitForLog('"remote_addr":"203.0.113.9"')).toContain("clientip.test");
  });
});

describe("environment proxies", () => {
  test("$HTTP_PROXY in the proxy's environment is not used for upstream traffic", async () => {
    const seen: string[] = [];
    const envProxy = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => (seen.push(req.url), new Response("via env proxy")) });
    const other = await ProxyProcess.start({ serverEnv: { HTTP_PROXY: `http://127.0.0.1:${envProxy.port}`, http_proxy: `http://127.0.0.1:${envProxy.port}` } });
    try {
      await other.ok("deploy", "direct", "--target", echo.target);
      const res = await other.fetch("/", { host: "direct.test" });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { url: string }).url).toContain("/");
      expect(seen).toEqual([]);
    } finally {
      envProxy.stop(true);
      await other.cleanup();
    }
  });
});

describe("request id and start", () => {
  test("added when missing, preserved when present; nothing added to the response", async () => {
    const before = Date.now();
    const { headers } = await upstreamSees("plain.test");
    expect(headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(headers["x-request-start"]).toMatch(/^t=\d+$/);
    expect(Math.abs(Number(headers["x-request-start"]!.slice(2)) - before)).toBeLessThan(1000);
    const kept = await upstreamSees("plain.test", { "X-Request-ID": "abc-123", "X-Request-Start": "t=1234" });
    expect(kept.headers["x-request-id"]).toBe("abc-123");
    expect(kept.headers["x-request-start"]).toBe("t=1234");
    const res = await proxy.fetch("/", { host: "plain.test" });
    expect(res.headers.get("x-request-id")).toBeNull();
    await res.text();
  });
});

describe("request line", () => {
  test("Host with port and an unparseable raw query reach the upstream unchanged", async () => {
    const { url, headers } = await upstreamSees("plain.test:8080", {}, "/path?p1=a;b;c&p2=%x&p3=ok");
    expect(headers.host).toBe("plain.test:8080");
    expect(url.endsWith("/path?p1=a;b;c&p2=%x&p3=ok")).toBe(true);
  });

  test("HEAD keeps the upstream Content-Length; 304 passes through without a body", async () => {
    const up = startUpstream((req) => (new URL(req.url).pathname === "/304"
      ? new Response(null, { status: 304, headers: { etag: "v1" } })
      : new Response("0123456789", { headers: { "content-type": "text/plain" } })));
    await proxy.ok("deploy", "heads", "--target", up.target, "--host", "heads.test");
    const head = await proxy.fetch("/", { host: "heads.test", method: "HEAD" });
    expect([head.status, head.headers.get("content-length")]).toEqual([200, "10"]);
    const notModified = await proxy.fetch("/304", { host: "heads.test" });
    expect([notModified.status, notModified.headers.get("etag"), await notModified.text()]).toEqual([304, "v1", ""]);
    up.stop();
  });

  test("POST bodies are streamed to the upstream with their length", async () => {
    const res = await proxy.fetch("/", { host: "plain.test", method: "POST", body: "hello body" });
    const seen = (await res.json()) as { headers: Record<string, string> };
    expect(seen.headers["content-length"]).toBe("10");
  });

  test("malformed chunked request body: 400", async () => {
    const { connect } = await import("node:net");
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(proxy.httpPort, "127.0.0.1", () =>
        socket.write("POST / HTTP/1.1\r\nHost: plain.test\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n"));
      let data = "";
      socket.on("data", (d) => (data += d));
      socket.on("close", () => resolve(data));
      socket.on("error", () => resolve(data));
    });
    expect(reply.startsWith("HTTP/1.1 400")).toBe(true);
  });

  test("--log-request-header / --log-response-header add req_* / resp_* fields", async () => {
    const up = startUpstream(() => new Response("ok", { headers: { "Cache-Control": "max-age=5", "X-Custom": "resp" } }));
    await proxy.ok("deploy", "logged", "--target", up.target, "--host", "logged.test", "--log-request-header", "x-custom",
      "--log-response-header", "Cache-Control,X-Custom");
    await (await proxy.fetch("/with-headers", { host: "logged.test", headers: { "X-Custom": "req" } })).text();
    const entry = JSON.parse(await proxy.waitForLog('"path":"/with-headers"'));
    expect(entry).toMatchObject({ req_x_custom: "req", resp_cache_control: "max-age=5", resp_x_custom: "resp" });
    up.stop();
  });

  test("access log line per request with kamal-proxy's fields", async () => {
    await (await proxy.fetch("/logged?q=ok", { host: "plain.test", headers: { "User-Agent": "tester" } })).text();
    const entry = JSON.parse(await proxy.waitForLog('"path":"/logged"'));
    expect(entry).toMatchObject({ level: "INFO", msg: "Request", host: "plain.test", path: "/logged", status: 200, service: "plain", target: echo.target, method: "GET", query: "q=ok", user_agent: "tester", scheme: "http", client_addr: "127.0.0.1", port: proxy.httpPort });
  });
});
