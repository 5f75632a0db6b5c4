// The deploy protocol through the real proxy (kamal-proxy §2.4, §2.5, §2.8 errors): health checks, deploy
// timeout, drain with 504 for what is cut, WebSockets, target timeout, unreachable targets.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { namedUpstream, ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";

let proxy: ProxyProcess;
const upstreams: Upstream[] = [];
const keep = (u: Upstream) => (upstreams.push(u), u);

beforeAll(async () => {
  proxy = await ProxyProcess.start();
});
afterAll(async () => {
  for (const u of upstreams) u.stop();
  await proxy.cleanup();
});

describe("health checks", () => {
  test("unhealthy target: deploy fails after the timeout, old service untouched, new service never created", async () => {
    const good = keep(namedUpstream("good"));
    const bad = keep(startUpstream(() => new Response("bad"), { health: () => 500 }));
    await proxy.ok("deploy", "hc", "--target", good.target, "--host", "hc.test");
    const started = Date.now();
    const result = await proxy.cli("deploy", "hc", "--target", bad.target, "--host", "hc.test", "--deploy-timeout", "300ms", "--health-check-interval", "50ms");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("Error: target failed to become healthy within configured timeout (300ms)\n");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await (await proxy.fetch("/", { host: "hc.test" })).text()).toBe("good");
    const fresh = await proxy.cli("deploy", "hc-new", "--target", bad.target, "--host", "hcnew.test", "--deploy-timeout", "100ms");
    expect(fresh.code).toBe(1);
    expect((await proxy.fetch("/", { host: "hcnew.test" })).status).toBe(404);
    expect(await proxy.waitForLog('"Healthcheck failed"')).toContain('"Healthcheck failed"');
    expect(await proxy.waitForLog("unexpected status (500)")).toContain("unexpected status (500)");
    await proxy.ok("remove", "hc");
  });

  test("custom path, port, host and a target that becomes healthy later", async () => {
    let checks = 0;
    const seen: string[] = [];
    const health = Bun.serve({
      port: 0, hostname: "127.0.0.1",
      fetch(req) {
        seen.push(`${new URL(req.url).pathname} ${req.headers.get("host")} ${req.headers.get("user-agent")}`);
        return new Response(null, { status: ++checks >= 3 ? 200 : 503 });
      },
    });
    const app = keep(namedUpstream("custom-hc"));
    await proxy.ok("deploy", "custom", "--target", app.target, "--host", "custom.test", "--health-check-path", "/healthz",
      "--health-check-port", String(health.port), "--health-check-host", "hc.internal", "--health-check-interval", "50ms");
    health.stop(true);
    expect(seen[0]).toBe("/healthz hc.internal kamal-proxy");
    expect(checks).toBeGreaterThanOrEqual(3);
    expect(await (await proxy.fetch("/", { host: "custom.test" })).text()).toBe("custom-hc");
    await proxy.ok("remove", "custom");
  });

  test("a check slower than --health-check-timeout fails", async () => {
    const slow = keep(startUpstream(() => new Response("x")));
    const slowHealth = Bun.serve({ port: 0, hostname: "127.0.0.1", async fetch() { await Bun.sleep(500); return new Response("ok"); } });
    const result = await proxy.cli("deploy", "slowhc", "--target", slow.target, "--health-check-port", String(slowHealth.port),
      "--health-check-timeout", "50ms", "--health-check-interval", "60ms", "--deploy-timeout", "200ms", "--host", "slowhc.test");
    slowHealth.stop(true);
    expect(result.code).toBe(1);
    expect(await proxy.waitForLog("request timed out")).toContain("request timed out");
  });

  test("multi-target deployments keep checking: an unhealthy target leaves the rotation, none healthy => 503", async () => {
    let bHealth = 200;
    const a = keep(namedUpstream("ta"));
    const b = keep(startUpstream(() => new Response("tb"), { health: () => bHealth }));
    await proxy.ok("deploy", "multi", "--target", `${a.target},${b.target}`, "--host", "multi.test", "--health-check-interval", "50ms");
    bHealth = 500;
    await Bun.sleep(200);
    const bodies = new Set<string>();
    for (let i = 0; i < 6; i++) bodies.add(await (await proxy.fetch("/", { host: "multi.test" })).text());
    expect([...bodies]).toEqual(["ta"]);
    bHealth = 200;
    await Bun.sleep(200);
    for (let i = 0; i < 6; i++) bodies.add(await (await proxy.fetch("/", { host: "multi.test" })).text());
    expect([...bodies].sort()).toEqual(["ta", "tb"]);
    expect(await proxy.waitForLog('"state":"unhealthy","was":"healthy"')).toContain('"state":"unhealthy","was":"healthy"');
    await proxy.ok("remove", "multi");
  });

  test("large request bodies stream through (no proxy-wide size limit)", async () => {
    const sink = keep(startUpstream(async (req) => new Response(String((await req.arrayBuffer()).byteLength))));
    await proxy.ok("deploy", "upload", "--target", sink.target, "--host", "upload.test");
    const res = await proxy.fetch("/", { host: "upload.test", method: "POST", body: new Uint8Array(5 * 1024 * 1024) });
    expect([res.status, await res.text()]).toEqual([200, String(5 * 1024 * 1024)]);
    await proxy.ok("remove", "upload");
  });

  test("--force installs at once", async () => {
    const app = keep(namedUpstream("forced"));
    await proxy.ok("deploy", "forced", "--target", app.target, "--host", "forced.test", "--force");
    await Bun.sleep(50);
    expect(await (await proxy.fetch("/", { host: "forced.test" })).text()).toBe("forced");
    await proxy.ok("remove", "forced");
  });
});

describe("drain", () => {
  test("in-flight requests finish during the drain; the deploy returns after them", async () => {
    const slow = keep(startUpstream(async () => { await Bun.sleep(300); return new Response("slow-done"); }));
    const fast = keep(namedUpstream("fast"));
    await proxy.ok("deploy", "drain", "--target", slow.target, "--host", "drain.test");
    const inflight = [1, 2, 3].map(() => proxy.fetch("/", { host: "drain.test" }));
    await Bun.sleep(50);
    const started = Date.now();
    await proxy.ok("deploy", "drain", "--target", fast.target, "--host", "drain.test", "--drain-timeout", "5s");
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    for (const res of await Promise.all(inflight)) expect([res.status, await res.text()]).toEqual([200, "slow-done"]);
    expect(await (await proxy.fetch("/", { host: "drain.test" })).text()).toBe("fast");
    await proxy.ok("remove", "drain");
  });

  test("requests still running at the drain deadline get 504", async () => {
    const hang = keep(startUpstream(async () => { await Bun.sleep(5000); return new Response("too late"); }));
    const next = keep(namedUpstream("next"));
    await proxy.ok("deploy", "cut", "--target", hang.target, "--host", "cut.test");
    const inflight = Array.from({ length: 5 }, () => proxy.fetch("/", { host: "cut.test" }));
    await Bun.sleep(100);
    await proxy.ok("deploy", "cut", "--target", next.target, "--host", "cut.test", "--drain-timeout", "50ms");
    const statuses = (await Promise.all(inflight)).map((r) => r.status);
    expect(statuses).toEqual([504, 504, 504, 504, 504]);
    expect(await proxy.waitForLog("Request cancelled due to draining")).toContain("Request cancelled due to draining");
    await proxy.ok("remove", "cut");
  });
});

describe("proxy errors", () => {
  test("unreachable target: 502; slower than --target-timeout: 504", async () => {
    const gone = startUpstream(() => new Response("x"));
    await proxy.ok("deploy", "gone", "--target", gone.target, "--host", "gone.test");
    gone.stop(true);
    await Bun.sleep(50);
    const res = await proxy.fetch("/", { host: "gone.test" });
    expect(res.status).toBe(502);
    expect(await res.text()).toContain("Bad Gateway");
    const slow = keep(startUpstream(async () => { await Bun.sleep(1000); return new Response("late"); }));
    await proxy.ok("deploy", "gone", "--target", slow.target, "--host", "gone.test", "--target-timeout", "100ms");
    const timedOut = await proxy.fetch("/", { host: "gone.test" });
    expect(timedOut.status).toBe(504);
    expect(await timedOut.text()).toContain("Gateway Timeout");
    await proxy.ok("remove", "gone");
  });
});

describe("client cancellation", () => {
  test("a client that goes away is logged with status 499", async () => {
    const slow = keep(startUpstream(async () => { await Bun.sleep(300); return new Response("late"); }));
    await proxy.ok("deploy", "cancel", "--target", slow.target, "--host", "cancel.test");
    const controller = new AbortController();
    const pending = proxy.fetch("/cancelled-by-client", { host: "cancel.test", signal: controller.signal }).catch(() => "aborted");
    await Bun.sleep(50);
    controller.abort();
    expect(await pending).toBe("aborted");
    const line = JSON.parse(await proxy.waitForLog('"path":"/cancelled-by-client"'));
    expect(line.status).toBe(499);
    await proxy.ok("remove", "cancel");
  });
});

describe("websockets", () => {
  test("proxied both ways, and closed when the target is drained", async () => {
    const ws = Bun.serve({
      port: 0, hostname: "127.0.0.1",
      fetch(req, server) {
        if (new URL(req.url).pathname === "/up") return new Response("ok");
        return server.upgrade(req) ? undefined : new Response("no", { status: 400 });
      },
      websocket: { message(socket, message) { socket.send(`echo ${message}`); } },
    });
    await proxy.ok("deploy", "ws", "--target", `127.0.0.1:${ws.port}`, "--host", "localhost");
    const client = new WebSocket(`ws://localhost:${proxy.httpPort}/socket`);
    const messages: string[] = [];
    const closed = new Promise<number>((resolve) => (client.onclose = (e) => resolve(e.code)));
    await new Promise((resolve, reject) => { client.onopen = resolve; client.onerror = reject; });
    const reply = new Promise((resolve) => (client.onmessage = (e) => { messages.push(String(e.data)); resolve(e.data); }));
    client.send("hello");
    expect(await reply).toBe("echo hello");
    const other = keep(namedUpstream("after-ws"));
    const started = Date.now();
    await proxy.ok("deploy", "ws", "--target", other.target, "--host", "localhost", "--drain-timeout", "5s");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await closed).toBeGreaterThan(0);
    ws.stop(true);
    await proxy.ok("remove", "ws");
  });
});
