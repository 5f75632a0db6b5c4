// Deploy benchmark: `dist/kamal deploy -P` (image already in the registry) to 1 and 3 testbed hosts, medians of 5,
// split into the time kamal-proxy spent waiting for the new container's health check and everything else.
//   KAMAL_TESTBED_NAME=... bun integration/testbed/cli.ts up && bun scripts/bench/deploy.ts     -> markdown table
// "Health wait" is, per deploy, the longest `kamal-proxy deploy` command over the hosts (they run in parallel);
// "everything else" is the wall time of the whole new `kamal` process minus that.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pushAppImage, removeService } from "../../integration/deploy-support.ts";
import { requireState, type TestbedHost, type TestbedState } from "../../integration/testbed/state.ts";

const REPO = resolve(import.meta.dirname, "../..");
const KAMAL = join(REPO, "dist/kamal");
const REPS = 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function appDir(state: TestbedState, service: string, hosts: TestbedHost[]): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), `kamal-bench-${service}-`));
  const home = join(dir, ".home");
  mkdirSync(join(home, ".ssh"), { recursive: true });
  mkdirSync(join(dir, "config"));
  spawnSync("cp", [state.knownHosts, join(home, ".ssh/known_hosts")]);
  writeFileSync(join(dir, "config/deploy.yml"), [
    `service: ${service}`, `image: ${service}`, "servers:", "  web:", ...hosts.map((h) => `    - ${h.ip}`),
    "proxy:", `  host: ${service}.example.test`, "  app_port: 80", "  healthcheck:", "    path: /up", "    interval: 1",
    "registry:", `  server: ${state.registry.address}`, "  username: bench", "  password: bench",
    "builder:", "  arch: amd64", "ssh:", "  user: root", `  keys: [ ${state.sshKey} ]`, "  keys_only: true", "  config: false",
    "stop_timeout: 1", "drain_timeout: 1", "",
  ].join("\n"));
  return { dir, env: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null", VERSION: "unused" } };
}

interface Run { total: number; health: number }

function deployOnce(dir: string, env: NodeJS.ProcessEnv, version: string): Run {
  const started = performance.now();
  const r = spawnSync(KAMAL, ["deploy", "-P", "--version", version], { cwd: dir, env, encoding: "utf8" });
  const total = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`deploy failed:\n${r.stdout}\n${r.stderr}`);
  // "INFO [id] Running docker exec kamal-proxy kamal-proxy deploy ..." ... "INFO [id] Finished in 1.234 seconds ..."
  const proxyIds = [...r.stdout.matchAll(/\[(\w+)\] Running docker exec kamal-proxy kamal-proxy deploy /g)].map((m) => m[1]);
  const health = Math.max(0, ...proxyIds.map((id) => Number(new RegExp(`\\[${id}\\] Finished in ([\\d.]+) seconds`).exec(r.stdout)?.[1] ?? 0)));
  return { total, health };
}

const state = requireState();
if (!existsSync(KAMAL)) spawnSync(join(REPO, "node_modules/.bin/bun"), ["scripts/build.ts"], { cwd: REPO, stdio: "inherit" });
const rows: string[] = [];
for (const n of [1, 3]) {
  const service = `bench${n}`;
  const hosts = state.hosts.slice(0, n);
  await removeService(state, state.hosts, service);
  for (const v of ["b0", "b1", "b2"]) pushAppImage(state, service, v);
  const { dir, env } = appDir(state, service, hosts);
  try {
    const setup = spawnSync(KAMAL, ["setup", "-P", "--version", "b0"], { cwd: dir, env, encoding: "utf8" });
    if (setup.status !== 0) throw new Error(`setup failed:\n${setup.stdout}\n${setup.stderr}`);
    const runs: Run[] = [];
    for (let i = 0; i < REPS; i++) runs.push(deployOnce(dir, env, i % 2 === 0 ? "b1" : "b2"));
    const totals = runs.map((r) => r.total);
    const healths = runs.map((r) => r.health);
    const others = runs.map((r) => r.total - r.health);
    rows.push(`| ${n} | ${median(totals).toFixed(2)} | ${median(healths).toFixed(2)} | ${median(others).toFixed(2)} | ${Math.min(...others).toFixed(2)} | ${Math.max(...others).toFixed(2)} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await removeService(state, state.hosts, service);
  }
}
process.stdout.write(`deploy -P, medians of ${REPS} (s); load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n\n`);
process.stdout.write("| hosts | total | health-check wait | everything else | else min | else max |\n|---:|---:|---:|---:|---:|---:|\n");
process.stdout.write(rows.join("\n") + "\n");
