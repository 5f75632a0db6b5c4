// pause / stop / resume through the real proxy (kamal-proxy §2.7, §3.7): queued requests, max-pause 504,
// stop 503 with the message, the health-check exception, state kept across redeploys.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { namedUpstream, ProxyProcess, type Upstream } from "./support/harness.ts";

let proxy: ProxyProcess;
let app: Upstream;

beforeAll(async () => {
  proxy = await ProxyProcess.start();
  app = namedUpstream("app");
});
afterAll(async () => {
  app.stop();
  await proxy.cleanup();
});

const get = (path: string, host = "pause.test") => proxy.fetch(path, { host });

describe("pause", () => {
  test("paused requests wait and proceed on resume; health path answers 200 meanwhile", async () => {
    await proxy.ok("deploy", "svc", "--target", app.target, "--host", "pause.test");
    await proxy.ok("pause", "svc", "--max-pause", "5s");
    const queued = get("/");
    const health = await get("/up");
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("");
    await Bun.sleep(100);
    await proxy.ok("resume", "svc");
    const res = await queued;
    expect([res.status, await res.text()]).toEqual([200, "app"]);
    await proxy.ok("remove", "svc");
  });

  test("a request paused longer than --max-pause gets 504; the pause survives a redeploy", async () => {
    await proxy.ok("deploy", "svc2", "--target", app.target, "--host", "pause2.test");
    await proxy.ok("pause", "svc2", "--max-pause", "50ms");
    expect((await get("/", "pause2.test")).status).toBe(504);
    await proxy.ok("deploy", "svc2", "--target", app.target, "--host", "pause2.test");
    expect((await get("/", "pause2.test")).status).toBe(504);
    expect((await proxy.cli("list")).stdout).toContain("paused");
    await proxy.ok("resume", "svc2");
    expect((await get("/", "pause2.test")).status).toBe(200);
    await proxy.ok("remove", "svc2");
  });
});

describe("stop", () => {
  test("stopped: 503 page with the escaped message; queued requests fail at once; resume restores", async () => {
    await proxy.ok("deploy", "svc3", "--target", app.target, "--host", "stop.test");
    await proxy.ok("pause", "svc3", "--max-pause", "10s");
    const queued = get("/", "stop.test");
    await Bun.sleep(50);
    await proxy.ok("stop", "svc3", "--message", "Back in <15> mins!");
    const failed = await queued;
    expect(failed.status).toBe(503);
    expect(await failed.text()).toContain("Back in &lt;15&gt; mins!");
    const res = await get("/other", "stop.test");
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect((await get("/up", "stop.test")).status).toBe(200);
    expect((await proxy.cli("list")).stdout).toContain("stopped");
    await proxy.ok("resume", "svc3");
    expect((await get("/", "stop.test")).status).toBe(200);
    await proxy.ok("remove", "svc3");
  });

  test("health check path while paused uses the routed (stripped) path", async () => {
    await proxy.ok("deploy", "api", "--target", app.target, "--host", "hcpath.test", "--path-prefix", "/api");
    await proxy.ok("deploy", "admin", "--target", app.target, "--host", "hcpath.test", "--path-prefix", "/admin", "--strip-path-prefix=false", "--health-check-path", "/admin/up");
    await proxy.ok("pause", "api", "--max-pause", "20ms");
    await proxy.ok("pause", "admin", "--max-pause", "20ms");
    expect((await get("/api/up", "hcpath.test")).status).toBe(200);
    expect((await get("/admin/up", "hcpath.test")).status).toBe(200);
    expect((await get("/api/other", "hcpath.test")).status).toBe(504);
    await proxy.ok("remove", "api");
    await proxy.ok("remove", "admin");
  });

  test("unknown services: `Error: service not found`, exit 1", async () => {
    for (const args of [["pause", "nope"], ["stop", "nope"], ["resume", "nope"], ["remove", "nope"]]) {
      const result = await proxy.cli(...args);
      expect([result.code, result.stderr]).toEqual([1, "Error: service not found\n"]);
    }
  });
});
