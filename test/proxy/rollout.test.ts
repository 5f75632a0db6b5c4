// Rollouts and reader targets through the real proxy (kamal-proxy §2.5, §2.6, §3.6, §3.7).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { namedUpstream, ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";

let proxy: ProxyProcess;
const ups: Upstream[] = [];
const up = (name: string) => {
  const u = namedUpstream(name);
  ups.push(u);
  return u;
};

beforeAll(async () => {
  proxy = await ProxyProcess.start();
});
afterAll(async () => {
  for (const u of ups) u.stop();
  await proxy.cleanup();
});

const text = async (host: string, init: RequestInit = {}) => (await proxy.fetch("/", { ...init, host })).text();

describe("rollout", () => {
  test("allowlist, percentage and stop", async () => {
    const [active, canary] = [up("active"), up("canary")];
    await proxy.ok("deploy", "ro", "--target", active.target, "--host", "ro.test");
    const noRollout = await proxy.cli("rollout", "set", "ro", "--list", "1");
    expect([noRollout.code, noRollout.stderr]).toEqual([1, "Error: rollout target not set\n"]);
    await proxy.ok("rollout", "deploy", "ro", "--target", canary.target);
    const cookie = (v: string) => ({ headers: { Cookie: `kamal-rollout=${v}` } });
    expect(await text("ro.test", cookie("1"))).toBe("active");
    await proxy.ok("rollout", "set", "ro", "--list", "1");
    expect(await text("ro.test", cookie("1"))).toBe("canary");
    expect(await text("ro.test", cookie("2"))).toBe("active");
    expect(await text("ro.test")).toBe("active");
    await proxy.ok("rollout", "set", "ro", "--percent", "100");
    expect(await text("ro.test", cookie("anything"))).toBe("canary");
    expect(await text("ro.test")).toBe("active");
    await proxy.ok("rollout", "set", "ro", "--percent", "50");
    let canaries = 0;
    for (let i = 0; i < 200; i++) if ((await text("ro.test", cookie(`user-${i}`))) === "canary") canaries++;
    expect(canaries).toBeGreaterThan(60);
    expect(canaries).toBeLessThan(140);
    await proxy.ok("rollout", "stop", "ro");
    expect(await text("ro.test", cookie("1"))).toBe("active");
    const missing = await proxy.cli("rollout", "set", "ro");
    expect(missing.stderr).toBe("Error: at least one of the flags in the group [percent list] is required\n");
    await proxy.ok("remove", "ro");
  });
});

describe("readers", () => {
  test("reads go to readers, writes to writers with an affinity cookie that sends the next read to writers", async () => {
    const writer = up("writer");
    const reader = up("reader");
    await proxy.ok("deploy", "rw", "--target", writer.target, "--read-target", reader.target, "--host", "rw.test", "--writer-affinity-timeout", "2s");
    expect(await text("rw.test")).toBe("reader");
    const head = await proxy.fetch("/", { host: "rw.test", method: "HEAD" });
    expect(head.status).toBe(200);
    const write = await proxy.fetch("/", { host: "rw.test", method: "POST", body: "x" });
    expect(await write.text()).toBe("writer");
    const setCookie = write.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^kamal-writer=\d+; Path=\/; Expires=.+ GMT; HttpOnly$/);
    const cookie = setCookie.split(";")[0]!;
    expect(await text("rw.test", { headers: { Cookie: cookie } })).toBe("writer");
    expect(await text("rw.test", { headers: { Cookie: "kamal-writer=1000" } })).toBe("reader");
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect(await text("rw.test", { method })).toBe("writer");
    }
    await proxy.ok("remove", "rw");
  });

  test("X-Writer-Affinity: false suppresses the cookie and is removed; no readers, no cookie", async () => {
    const writer = startUpstream(() => new Response("w", { headers: { "X-Writer-Affinity": "false" } }));
    ups.push(writer);
    const reader = up("r");
    await proxy.ok("deploy", "rw2", "--target", writer.target, "--read-target", reader.target, "--host", "rw2.test");
    const res = await proxy.fetch("/", { host: "rw2.test", method: "POST" });
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("x-writer-affinity")).toBeNull();
    const solo = up("solo");
    await proxy.ok("deploy", "solo", "--target", solo.target, "--host", "solo.test");
    expect((await proxy.fetch("/", { host: "solo.test", method: "POST" })).headers.get("set-cookie")).toBeNull();
    await proxy.ok("remove", "rw2");
    await proxy.ok("remove", "solo");
  });

  test("WebSocket upgrades go to writers unless --read-target-websockets", async () => {
    const wsUpstream = (name: string) => {
      const server = Bun.serve({
        port: 0, hostname: "127.0.0.1",
        fetch: (req, srv) => (new URL(req.url).pathname === "/up" ? new Response("ok") : srv.upgrade(req) ? undefined : new Response(name)),
        websocket: { open: (ws) => void ws.send(name), message: () => undefined },
      });
      ups.push({ port: server.port!, target: `127.0.0.1:${server.port}`, requests: [], stop: () => void server.stop(true) });
      return `127.0.0.1:${server.port}`;
    };
    const [writer, reader] = [wsUpstream("ws-writer"), wsUpstream("ws-reader")];
    const firstMessage = async () => {
      const socket = new WebSocket(`ws://localhost:${proxy.httpPort}/`);
      const message = await new Promise<string>((resolve, reject) => {
        socket.onmessage = (e) => resolve(String(e.data));
        socket.onerror = reject;
      });
      socket.close();
      return message;
    };
    await proxy.ok("deploy", "wsrw", "--target", writer, "--read-target", reader, "--host", "localhost");
    expect(await firstMessage()).toBe("ws-writer");
    await proxy.ok("deploy", "wsrw", "--target", writer, "--read-target", reader, "--host", "localhost", "--read-target-websockets");
    expect(await firstMessage()).toBe("ws-reader");
    await proxy.ok("remove", "wsrw");
  });

  test("list shows writers then readers", async () => {
    const [w, r] = [up("lw"), up("lr")];
    await proxy.ok("deploy", "listed", "--target", w.target, "--read-target", r.target, "--host", "listed.test");
    const out = (await proxy.cli("list")).stdout;
    expect(out).toContain(`${w.target},${r.target}`);
    await proxy.ok("remove", "listed");
  });
});
