// Buffering, error pages and metrics wired into the real proxy (kamal-proxy §2.9, §2.10, §2.13).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";

let proxy: ProxyProcess;
let upstream: Upstream;

beforeAll(async () => {
  proxy = await ProxyProcess.start({ metrics: true });
  upstream = startUpstream(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/big") return new Response("x".repeat(100));
    if (path === "/medium") return new Response("m".repeat(40_000));
    if (path === "/sse") {
      const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("data: hello\n\n")); } });
      return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8" } });
    }
    if (path === "/teapot") return new Response("backend says no", { status: 418, headers: { "content-type": "text/plain" } });
    return new Response(`got ${(await req.text()).length}`);
  });
});
afterAll(async () => {
  upstream.stop();
  await proxy.cleanup();
});

describe("buffering", () => {
  test("request over --max-request-body: 413; response over --max-response-body: 500; small ones pass", async () => {
    await proxy.ok("deploy", "buf", "--target", upstream.target, "--host", "buf.test", "--buffer-requests", "--buffer-responses",
      "--buffer-memory", "5", "--max-request-body", "20", "--max-response-body", "20");
    const small = await proxy.fetch("/", { host: "buf.test", method: "POST", body: "hello world" });
    expect([small.status, await small.text()]).toEqual([200, "got 11"]);
    const large = await proxy.fetch("/", { host: "buf.test", method: "POST", body: "this one is much too large" });
    expect(large.status).toBe(413);
    expect(await large.text()).toContain("413");
    const big = await proxy.fetch("/big", { host: "buf.test" });
    expect([big.status, await big.text()]).toEqual([500, "<h1>500 Internal Server Error</h1>"]);
    const head = await proxy.fetch("/big", { host: "buf.test", method: "HEAD" });
    expect([head.status, head.headers.get("content-length")]).toEqual([200, "100"]);
  });

  test("buffered responses of every size arrive whole", async () => {
    await proxy.ok("deploy", "sizes", "--target", upstream.target, "--host", "sizes.test", "--buffer-responses", "--buffer-memory", "10000");
    const medium = await proxy.fetch("/medium", { host: "sizes.test" });
    expect([medium.status, (await medium.text()).length]).toEqual([200, 40_000]);
    const small = await proxy.fetch("/big", { host: "sizes.test" });
    expect((await small.text()).length).toBe(100);
    await proxy.ok("remove", "sizes");
  });

  test("spilled request bodies leave no temp file behind, also when the target is down", async () => {
    const gone = startUpstream(() => new Response("x"));
    await proxy.ok("deploy", "spill", "--target", gone.target, "--host", "spill.test", "--buffer-requests", "--buffer-memory", "5");
    const ok = await proxy.fetch("/", { host: "spill.test", method: "POST", body: "hello world, spilled" });
    expect(ok.status).toBe(200);
    gone.stop(true);
    await Bun.sleep(50);
    const down = await proxy.fetch("/", { host: "spill.test", method: "POST", body: "hello world, spilled" });
    expect(down.status).toBe(502);
    await Bun.sleep(100);
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(proxy.dir).filter((f) => f.startsWith("proxy-buffer-"))).toEqual([]);
    await proxy.ok("remove", "spill");
  });

  test("a redeploy applies new target options", async () => {
    await proxy.ok("deploy", "opts", "--target", upstream.target, "--host", "opts.test", "--buffer-requests", "--max-request-body", "10");
    expect((await proxy.fetch("/", { host: "opts.test", method: "POST", body: "this one is too large" })).status).toBe(413);
    await proxy.ok("deploy", "opts", "--target", upstream.target, "--host", "opts.test");
    expect((await proxy.fetch("/", { host: "opts.test", method: "POST", body: "this one is too large" })).status).toBe(200);
    await proxy.ok("remove", "opts");
  });

  test("without buffering the limits don't apply; SSE streams even with buffering", async () => {
    await proxy.ok("deploy", "nobuf", "--target", upstream.target, "--host", "nobuf.test");
    expect((await proxy.fetch("/big", { host: "nobuf.test" })).status).toBe(200);
    const res = await proxy.fetch("/sse", { host: "buf.test" });
    const reader = res.body!.getReader();
    const first = await Promise.race([reader.read(), Bun.sleep(2000).then(() => null)]);
    expect(first && new TextDecoder().decode(first.value)).toBe("data: hello\n\n");
    await reader.cancel();
  });
});

describe("error pages", () => {
  test("custom pages render the stop message; upstream errors pass through untouched", async () => {
    const dir = join(proxy.dir, "pages");
    mkdirSync(dir);
    writeFileSync(join(dir, "503.html"), "Custom Maintenance Page: {{ .Message }}");
    await proxy.ok("deploy", "pages", "--target", upstream.target, "--host", "pages.test", "--error-pages", dir);
    const teapot = await proxy.fetch("/teapot", { host: "pages.test" });
    expect([teapot.status, teapot.headers.get("content-type"), await teapot.text()]).toEqual([418, "text/plain", "backend says no"]);
    await proxy.ok("stop", "pages", "--message", "Hello");
    const stopped = await proxy.fetch("/", { host: "pages.test" });
    expect([stopped.status, await stopped.text()]).toEqual([503, "Custom Maintenance Page: Hello"]);
    const bad = await proxy.cli("deploy", "pages", "--target", upstream.target, "--host", "pages.test", "--error-pages", join(proxy.dir, "none"));
    expect(bad.stderr).toBe("Error: unable to load error pages\n");
  });
});

describe("metrics", () => {
  test("requests are counted per service, method and status; excluded paths are not", async () => {
    await proxy.ok("deploy", "counted", "--target", upstream.target, "--host", "counted.test", "--exclude-metrics-path", "/skip");
    await (await proxy.fetch("/x", { host: "counted.test" })).text();
    await (await proxy.fetch("/skip", { host: "counted.test" })).text();
    await (await proxy.fetch("/", { host: "nobody.test", method: "PROPFIND" })).text();
    const text = await (await fetch(`http://127.0.0.1:${proxy.metricsPort}/anything`)).text();
    expect(text).toContain('kamal_proxy_http_requests_total{method="GET",service="counted",status="200"} 1');
    expect(text).toContain('kamal_proxy_http_requests_total{method="OTHER",service="",status="404"} 1');
    expect(text).toContain("kamal_proxy_http_request_duration_seconds_bucket");
  });
});
