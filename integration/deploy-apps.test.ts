// Two apps on the same hosts sharing one kamal-proxy, under a request loop each: five consecutive deploys of one app
// fail no request of either; env tags reach only the tagged host; two deploys at once: one proceeds, one is refused.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp, kamal, onHost, type App, type KamalResult } from "./support.ts";
import { ensureProxy, httpGet, pushAppImage, removeProxy, removeService } from "./deploy-support.ts";
import { requireState, type TestbedHost, type TestbedState } from "./testbed/state.ts";

let state: TestbedState;
let hosts: TestbedHost[];
const apps: Record<string, App & { version: string }> = {};

function yml(service: string, hostEntries: string[], extra: string[] = []): string {
  return [
    `service: ${service}`, `image: ${service}`,
    "servers:", "  web:", ...hostEntries.map((h) => `    - ${h}`),
    "proxy:", `  host: ${service}.example.test`, "  app_port: 80", "  healthcheck:", "    path: /up", "    interval: 1",
    "registry:", `  server: ${state.registry.address}`, "  username: testbed", "  password: testbed",
    "builder:", "  arch: amd64",
    "ssh:", "  user: root", `  keys: [ ${state.sshKey} ]`, "  keys_only: true", "  config: false",
    "deploy_timeout: 15", "drain_timeout: 2", "stop_timeout: 1",
    ...extra, "",
  ].join("\n");
}

const ok = (r: KamalResult): KamalResult => {
  if (r.code !== 0) throw new Error(`kamal exited ${r.code}:\n${r.output}`);
  return r;
};

/** A closed request loop through every host's proxy for one app (by Host header) until stopped. */
function requestLoop(service: string): { stop: () => Promise<{ requests: number; failures: string[]; seen: Set<string> }> } {
  let running = true;
  const failures: string[] = [];
  const seen = new Set<string>();
  let requests = 0;
  const worker = async (host: TestbedHost) => {
    while (running) {
      requests++;
      try {
        const r = await httpGet(host, "/", `${service}.example.test`);
        if (r.status !== 200) failures.push(`${host.name}: HTTP ${r.status}`);
        else seen.add(r.body);
      } catch (e) {
        failures.push(`${host.name}: ${(e as Error).message}`);
      }
    }
  };
  const all = hosts.map(worker);
  return { stop: async () => { running = false; await Promise.all(all); return { requests, failures, seen }; } };
}

beforeAll(async () => {
  state = requireState();
  hosts = state.hosts.slice(0, 2);
  await removeService(state, state.hosts, "itappa");
  await removeService(state, state.hosts, "itappb");
  await ensureProxy(state, hosts);
  apps.a = await createApp("itappa", { files: { "config/deploy.yml": yml("itappa", hosts.map((h) => h.ip)) } });
  apps.b = await createApp("itappb", {
    files: {
      "config/deploy.yml": yml("itappb", [hosts[0]!.ip, `${hosts[1]!.ip}: [tag1]`], [
        "env:", "  clear:", "    CLEAR_TAG: \"\"", "  tags:", "    tag1:", "      clear:", "        CLEAR_TAG: tagged", "      secret:", "        - SECRET_TAG"]),
      ".kamal/secrets": "SECRET_TAG=very-secret\n",
    },
  });
  pushAppImage(state, "itappa", "v0");
  pushAppImage(state, "itappb", "v0");
  ok(await kamal(apps.a!, ["setup", "-P", "--version", "v0"]));
  ok(await kamal(apps.b!, ["deploy", "-P", "--version", "v0"]));
}, 400_000);

afterAll(async () => {
  if (state) {
    for (const s of ["itappa", "itappb"]) await removeService(state, state.hosts, s);
    await removeProxy(state, state.hosts);
  }
  for (const app of Object.values(apps)) app.cleanup();
}, 120_000);

describe("two apps, one kamal-proxy", () => {
  test("each app is served by its own host name on every host", async () => {
    for (const h of hosts) {
      expect(await httpGet(h, "/", "itappa.example.test")).toEqual({ status: 200, body: "v0" });
      expect(await httpGet(h, "/", "itappb.example.test")).toEqual({ status: 200, body: "v0" });
    }
    for (const h of hosts) expect((await onHost(state, h, "docker ps --filter name=^kamal-proxy$ --quiet | wc -l")).stdout.trim()).toBe("1");
  });

  test("env tags: the tagged host's container gets the clear and the secret value, the other neither", async () => {
    const env = async (h: TestbedHost) => (await onHost(state, h, "docker exec itappb-web-v0 env")).stdout;
    const [plain, tagged] = [await env(hosts[0]!), await env(hosts[1]!)];
    expect(tagged).toContain("CLEAR_TAG=tagged\n");
    expect(tagged).toContain("SECRET_TAG=very-secret\n");
    expect(plain).not.toContain("CLEAR_TAG=");
    expect(plain).not.toContain("SECRET_TAG");
    // The secret went through the env file (mode 0600), not the command line.
    expect((await onHost(state, hosts[1]!, "stat -c %a .kamal/apps/itappb/env/roles/web.env")).stdout.trim()).toBe("600");
    expect((await onHost(state, hosts[1]!, "docker inspect itappb-web-v0 --format '{{.Config.Env}}'")).stdout).toContain("SECRET_TAG=very-secret");
    expect((await onHost(state, hosts[1]!, "docker inspect itappb-web-v0 --format '{{.Args}}'")).stdout).not.toContain("very-secret");
  });

  test("five consecutive deploys of one app: 0 failed requests for either app", async () => {
    for (let i = 1; i <= 5; i++) pushAppImage(state, "itappa", `v${i}`);
    const loopA = requestLoop("itappa");
    const loopB = requestLoop("itappb");
    for (let i = 1; i <= 5; i++) ok(await kamal(apps.a!, ["deploy", "-P", "--version", `v${i}`]));
    const [a, b] = [await loopA.stop(), await loopB.stop()];
    expect(a.failures).toEqual([]);
    expect(b.failures).toEqual([]);
    expect(a.requests).toBeGreaterThan(50);
    expect([...a.seen]).toContain("v5");
    expect([...b.seen]).toEqual(["v0"]);
    for (const h of hosts) expect((await httpGet(h, "/", "itappa.example.test")).body).toBe("v5");
  }, 600_000);

  test("two deploys at once: exactly one proceeds, the other prints the lock holder and exits 1", async () => {
    pushAppImage(state, "itappb", "v1");
    const [x, y] = await Promise.all([
      kamal(apps.b!, ["deploy", "-P", "--version", "v1"]),
      kamal(apps.b!, ["deploy", "-P", "--version", "v1"]),
    ]);
    const [winner, loser] = [x, y].sort((p, q) => p.code - q.code);
    expect([winner!.code, loser!.code]).toEqual([0, 1]);
    expect(loser!.stdout).toContain("Deploy lock already in place!");
    expect(loser!.stdout).toContain("Message: Automatic deploy lock");
    expect(loser!.stderr).toContain("Deploy lock found");
    for (const h of hosts) expect((await httpGet(h, "/", "itappb.example.test")).body).toBe("v1");
  }, 300_000);
});
