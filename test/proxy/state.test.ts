// State file and restarts (kamal-proxy §2.14, §2.15): saved after every change, restored on start, legacy format,
// one bad service => empty start; SIGTERM lets in-flight requests finish and exits 0.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { namedUpstream, ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const start = async () => {
  const proxy = await ProxyProcess.start();
  cleanups.push(() => proxy.cleanup());
  return proxy;
};
const up = (name: string): Upstream => {
  const u = namedUpstream(name);
  cleanups.push(() => u.stop());
  return u;
};

describe("state file", () => {
  test("written after each change with kamal-proxy's shape, restored after a restart", async () => {
    const proxy = await start();
    const [a, b, c] = [up("root"), up("api"), up("canary")];
    await proxy.ok("deploy", "web", "--target", a.target, "--host", "state.test", "--buffer-requests", "--log-request-header", "User-Agent");
    await proxy.ok("deploy", "api", "--target", b.target, "--host", "state.test", "--path-prefix", "/api");
    await proxy.ok("rollout", "deploy", "web", "--target", c.target);
    await proxy.ok("rollout", "set", "web", "--percent", "20", "--list", "first");
    await proxy.ok("stop", "api", "--message", "later");
    const saved = JSON.parse(readFileSync(proxy.statePath, "utf8"));
    const web = saved.find((s: { name: string }) => s.name === "web");
    expect(web.options.hosts).toEqual(["state.test"]);
    expect(web.target_options.health_check_config).toEqual({ path: "/up", port: 0, interval: 1e9, timeout: 5e9, host: "" });
    expect(web.target_options.buffer_requests).toBe(true);
    expect(web.target_options.log_request_headers).toEqual(["User-Agent"]);
    expect(web.active_targets).toEqual([a.target]);
    expect(web.rollout_targets).toEqual([c.target]);
    expect(web.rollout_controller).toEqual({ percentage: 20, percentage_split_point: 858993459, allowlist: ["first"] });
    const api = saved.find((s: { name: string }) => s.name === "api");
    expect(api.pause_controller).toEqual({ state: 2, stop_message: "later", fail_after: 0 });

    expect(await proxy.terminate()).toBe(0);
    await proxy.launch();
    expect(await proxy.waitForLog("Restored saved state")).toContain("Restored saved state");
    expect(await (await proxy.fetch("/", { host: "state.test" })).text()).toBe("root");
    expect(await (await proxy.fetch("/", { host: "state.test", headers: { Cookie: "kamal-rollout=first" } })).text()).toBe("canary");
    const stopped = await proxy.fetch("/api/x", { host: "state.test" });
    expect(stopped.status).toBe(503);
    expect(await stopped.text()).toContain("later");
  });

  test("legacy format (active_target, top-level hosts) is restored", async () => {
    const proxy = await start();
    const a = up("legacy");
    await proxy.terminate();
    writeFileSync(proxy.statePath, JSON.stringify([{ name: "old", hosts: ["legacy.test"], active_target: a.target, target_options: { response_timeout: 3e9 } }]));
    await proxy.launch();
    expect(await (await proxy.fetch("/", { host: "legacy.test" })).text()).toBe("legacy");
    expect((await proxy.cli("list")).stdout).toContain("legacy.test");
  });

  test("one undecodable service: the proxy starts with no services", async () => {
    const proxy = await start();
    const a = up("fine");
    await proxy.terminate();
    mkdirSync(dirname(proxy.statePath), { recursive: true });
    writeFileSync(proxy.statePath, JSON.stringify([
      { name: "fine", options: { hosts: ["fine.test"] }, active_targets: [a.target] },
      { name: "broken", options: { hosts: ["broken.test"], error_page_path: "/does/not/exist" }, active_targets: [a.target] },
    ]));
    await proxy.launch();
    expect(await proxy.waitForLog("Failed to decode saved state")).toContain("Failed to decode saved state");
    expect((await proxy.fetch("/", { host: "fine.test" })).status).toBe(404);
  });
});

describe("shutdown", () => {
  test("SIGTERM waits for in-flight requests and exits 0", async () => {
    const proxy = await start();
    const slow = startUpstream(async () => { await Bun.sleep(300); return new Response("finished"); });
    cleanups.push(() => slow.stop());
    await proxy.ok("deploy", "slow", "--target", slow.target);
    const inflight = proxy.fetch("/");
    await Bun.sleep(50);
    const code = proxy.terminate();
    const res = await inflight;
    expect([res.status, await res.text()]).toEqual([200, "finished"]);
    expect(await code).toBe(0);
    expect(await proxy.waitForLog("Server stopped")).toContain("Server stopped");
  });
});
