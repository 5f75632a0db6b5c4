// The deploy flow on the testbed, as Kamal's main_test.rb and broken_deploy_test.rb drive it: setup on 2 web hosts
// and 1 worker host, a second deploy, a rollback, then a broken image that must change nothing, then a good deploy.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp, kamal, onHost, type App, type KamalResult } from "./support.ts";
import { ensureProxy, httpGet, pushAppImage, removeProxy, removeService } from "./deploy-support.ts";
import { run } from "./testbed/proc.ts";
import { requireState, type TestbedHost, type TestbedState } from "./testbed/state.ts";

const SERVICE = "itdeploy";
let state: TestbedState;
let web: TestbedHost[];
let worker: TestbedHost;
let app: App & { version: string };

function deployYml(): string {
  return [
    `service: ${SERVICE}`, `image: ${SERVICE}`,
    "servers:",
    "  web:", ...web.map((h) => `    - ${h.ip}`),
    "  workers:", "    hosts:", `      - ${worker.ip}`, "    cmd: sleep 100000",
    "proxy:", "  app_port: 80", "  healthcheck:", "    path: /up", "    interval: 1",
    "registry:", `  server: ${state.registry.address}`, "  username: testbed", "  password: testbed",
    "builder:", "  arch: amd64",
    "ssh:", "  user: root", `  keys: [ ${state.sshKey} ]`, "  keys_only: true", "  config: false",
    // busybox httpd and sleep run as PID 1 and ignore SIGTERM: without a stop_timeout each stop waits 10 s.
    "readiness_delay: 1", "deploy_timeout: 10", "drain_timeout: 2", "stop_timeout: 1",
    "output:", "  file:", `    path: ${join(app.dir, "logs")}`, "",
  ].join("\n");
}

/** Commit a change: a new version. */
async function commit(message: string): Promise<string> {
  writeFileSync(join(app.dir, "VERSION_NOTE"), `${message}\n`);
  const g = (...args: string[]) => run(["git", "-C", app.dir, ...args], { env: app.env });
  await g("add", "-A");
  await g("commit", "-q", "-m", message);
  return (await g("rev-parse", "HEAD")).stdout.trim();
}

const served = async (): Promise<string[]> => Promise.all(web.map(async (h) => (await httpGet(h)).body));
const runningNames = async (host: TestbedHost): Promise<string[]> =>
  (await onHost(state, host, `docker ps --filter label=service=${SERVICE} --format '{{.Names}}'`)).stdout.split("\n").filter(Boolean).sort();
const allNames = async (host: TestbedHost): Promise<string[]> =>
  (await onHost(state, host, `docker ps -a --filter label=service=${SERVICE} --format '{{.Names}}'`)).stdout.split("\n").filter(Boolean).sort();
const ok = (r: KamalResult): KamalResult => {
  if (r.code !== 0) throw new Error(`kamal exited ${r.code}:\n${r.output}`);
  return r;
};

beforeAll(async () => {
  state = requireState();
  web = state.hosts.slice(0, 2);
  worker = state.hosts[2]!;
  await removeService(state, state.hosts, SERVICE);
  await ensureProxy(state, web);
  app = await createApp(SERVICE, { files: { "config/deploy.yml": "" } });
  writeFileSync(join(app.dir, "config/deploy.yml"), deployYml());
  app.version = await commit("v1");
}, 300_000);

afterAll(async () => {
  if (state) {
    await removeService(state, state.hosts, SERVICE);
    await removeProxy(state, state.hosts);
  }
  app?.cleanup();
}, 120_000);

describe("setup, deploy, rollback", () => {
  let v1: string;
  let v2: string;

  test("setup: v1 served by every web host, the worker runs v1", async () => {
    v1 = app.version;
    pushAppImage(state, SERVICE, v1);
    const r = ok(await kamal(app, ["setup", "-P"]));
    expect(r.stdout).toContain("Ensure Docker is installed...");
    expect(r.stdout).toContain("Ensure kamal-proxy is running...");
    expect(r.stdout).toMatch(/Finished all in \d+\.\d seconds/);
    // Kamal's modify: the run's log file, and our end-of-run summary.
    expect(r.stdout).toMatch(/Summary: 3 of 3 hosts OK, \d+ commands in \d+\.\ds/);
    const logFile = /Logs written to (\S+)/.exec(r.stdout)![1]!;
    expect(logFile).toMatch(/_setup\.log$/);
    expect(readFileSync(logFile, "utf8")).toMatch(/Ensure kamal-proxy is running\.\.\.[\s\S]*# Completed in \d+\.\ds\n$/);
    expect(await served()).toEqual([v1, v1]);
    expect(await runningNames(worker)).toEqual([`${SERVICE}-workers-${v1}`]);
    // The env file is there, mode 0600.
    expect((await onHost(state, web[0]!, `stat -c %a .kamal/apps/${SERVICE}/env/roles/web.env`)).stdout.trim()).toBe("600");
  }, 180_000);

  test("deploy: v2 served, the v1 containers stopped", async () => {
    v2 = await commit("v2");
    pushAppImage(state, SERVICE, v2);
    ok(await kamal(app, ["deploy", "-P"]));
    expect(await served()).toEqual([v2, v2]);
    for (const h of web) expect(await runningNames(h)).toEqual([`${SERVICE}-web-${v2}`]);
    expect(await runningNames(worker)).toEqual([`${SERVICE}-workers-${v2}`]);
    expect(await allNames(web[0]!)).toEqual([`${SERVICE}-web-${v1}`, `${SERVICE}-web-${v2}`].sort());
    const version = ok(await kamal(app, ["app", "version"]));
    expect(version.stdout).toContain(`App Host: ${web[0]!.ip}\n${v2}\n`);
  }, 180_000);

  test("rollback to v1: served again; app containers and audit show what happened", async () => {
    const r = ok(await kamal(app, ["rollback", v1]));
    expect(r.stdout).toContain(`Start container with version ${v1}`);
    expect(await served()).toEqual([v1, v1]);
    expect(await runningNames(worker)).toEqual([`${SERVICE}-workers-${v1}`]);
    const containers = ok(await kamal(app, ["app", "containers"]));
    expect(containers.stdout).toContain(`App Host: ${web[0]!.ip}`);
    expect(containers.stdout).toMatch(new RegExp(`${SERVICE}-web-${v1}_replaced_[0-9a-f]{16}`));
    expect(containers.stdout).toContain(`${SERVICE}-web-${v2}`);
    const audit = ok(await kamal(app, ["audit"]));
    expect(audit.stdout).toContain(`[deployer@example.com] [web] Booted app version ${v1}`);
    expect(audit.stdout).toContain(`[deployer@example.com] [workers] Booted app version ${v2}`);
    const unknown = await kamal(app, ["rollback", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain("The app version 'nope' is not available as a container (use 'kamal app containers' for available versions)");
  }, 180_000);

  test("broken image: deploy exits 1 naming the hosts, v1 keeps serving, no worker of the new version, lock released", async () => {
    const broken = await commit("broken");
    pushAppImage(state, SERVICE, broken, { healthy: false });
    const r = await kamal(app, ["deploy", "-P"]);
    expect(r.code).toBe(1);
    for (const h of web) expect(r.stderr).toContain(h.ip);
    expect(r.stdout).toContain("not booting any other roles");
    expect(r.stdout).toMatch(/Summary: 0 of 3 hosts OK/);
    expect(await served()).toEqual([v1, v1]);
    expect((await allNames(worker)).some((n) => n.endsWith(broken))).toBe(false);
    expect(await runningNames(worker)).toEqual([`${SERVICE}-workers-${v1}`]);
    for (const h of state.hosts) expect((await runningNames(h)).some((n) => n.endsWith(broken))).toBe(false);
    expect((await kamal(app, ["lock", "status"])).stdout).toBe("There is no deploy lock\n");

    const good = await commit("good again");
    pushAppImage(state, SERVICE, good);
    ok(await kamal(app, ["deploy", "-P"]));
    expect(await served()).toEqual([good, good]);
    expect(await runningNames(worker)).toEqual([`${SERVICE}-workers-${good}`]);
  }, 240_000);
});
