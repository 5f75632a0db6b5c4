// The integration testbed: `bun integration/testbed/cli.ts up [N] | down | status`.
// up:     installs what is missing (apt), starts dockerd if none answers, builds the cached images, creates a network,
//         an SSH key, a registry and N docker-in-docker hosts (+1 host without Docker), waits for them, writes .testbed/state.json.
// down:   removes exactly what `up` recorded (containers, volumes, network, registry and dockerd pids it started),
//         but only when no other program still uses the testbed (see leases.ts); `down --force` ignores leases.
// status: prints the state and whether each host container runs.
import { rmSync } from "node:fs";
import { ensurePackages } from "./packages.ts";
import { dockerAnswers, ensureDockerd, isAlive, stopPid } from "./daemon.ts";
import { ensureImages, IMAGES } from "./images.ts";
import { createNetwork, ensureSshKey, NETWORK_NAME, removeLeftovers, removeNetwork } from "./network.ts";
import { startRegistry } from "./registry.ts";
import { removeHost, startHost, waitForHost, writeKnownHosts } from "./hosts.ts";
import { clearLeases, dropLease, takeLease, withMutex } from "./leases.ts";
import { log, run } from "./proc.ts";
import { readState, removeState, STATE_FILE, writeState, type TestbedState } from "./state.ts";

const PREFIX = NETWORK_NAME;

async function containerRunning(id: string): Promise<boolean> {
  const r = await run(["docker", "inspect", id, "--format", "{{.State.Running}}"]);
  return r.code === 0 && r.stdout.trim() === "true";
}

async function healthy(state: TestbedState): Promise<boolean> {
  if (!(await dockerAnswers())) return false;
  if (state.registry.pid !== null && !isAlive(state.registry.pid)) return false;
  const all = [...state.hosts, ...(state.bareHost ? [state.bareHost] : [])];
  for (const h of all) if (!(await containerRunning(h.container))) return false;
  return true;
}

async function up(count: number): Promise<void> {
  const started = Date.now();
  const existing = readState();
  if (existing && existing.hosts.length >= count && (await healthy(existing))) {
    log(`already up (${existing.hosts.map((h) => `${h.name}=${h.ip}`).join(", ")})`);
    return;
  }
  if (existing) await teardown();
  await ensurePackages();
  const dockerdPid = await ensureDockerd();
  const state: TestbedState = {
    createdAt: new Date().toISOString(), dockerdPid,
    network: { name: "", id: "", subnet: "", gateway: "" }, hosts: [], bareHost: null,
    registry: { address: "", pid: null, dataDir: "" }, sshKey: "", sshUser: "root", knownHosts: "", images: IMAGES,
  };
  writeState(state); // from here on, `down` can clean up whatever exists
  await ensureImages();
  await removeLeftovers();
  state.network = await createNetwork();
  writeState(state);
  state.sshKey = await ensureSshKey();
  state.registry = await startRegistry(state.network.gateway);
  writeState(state);
  for (let i = 1; i <= count; i++) {
    state.hosts.push(await startHost(`${PREFIX}-vm${i}`, IMAGES.host, state.network.name, state.sshKey, true));
    writeState(state);
  }
  state.bareHost = await startHost(`${PREFIX}-bare`, IMAGES.bareHost, state.network.name, state.sshKey, false);
  writeState(state);
  await Promise.all([...state.hosts, state.bareHost].map((h) => waitForHost(h, state.sshKey)));
  state.knownHosts = await writeKnownHosts([...state.hosts, state.bareHost]);
  writeState(state);
  log(`up in ${((Date.now() - started) / 1000).toFixed(1)}s: ${[...state.hosts, state.bareHost].map((h) => `${h.name}=${h.ip}`).join(", ")}, ` +
    `registry ${state.registry.address}; state in ${STATE_FILE}`);
}

async function teardown(): Promise<void> {
  const state = readState();
  if (!state) { log("nothing to tear down (no state file)"); return; }
  if (await dockerAnswers()) {
    await Promise.all([...state.hosts, ...(state.bareHost ? [state.bareHost] : [])].map(removeHost));
    if (state.network.name) await removeNetwork(state.network.name);
  }
  if (state.registry.pid !== null) await stopPid(state.registry.pid, "registry");
  if (state.registry.dataDir) rmSync(state.registry.dataDir, { recursive: true, force: true });
  if (state.dockerdPid !== null) {
    const others = (await run(["docker", "ps", "-q"])).stdout.trim();
    if (others) log(`leaving dockerd (pid ${state.dockerdPid}) running: other containers use it`);
    else await stopPid(state.dockerdPid, "dockerd");
  }
  removeState();
  clearLeases();
  log("down");
}

async function down(force: boolean): Promise<void> {
  const others = dropLease(process.ppid);
  if (others.length > 0 && !force) {
    log(`leaving the testbed up: still used by pid ${others.join(", ")} (down --force to remove it anyway)`);
    return;
  }
  await teardown();
}

async function status(): Promise<number> {
  const state = readState();
  if (!state) { console.log("testbed: down"); return 1; }
  const ok = await healthy(state);
  console.log(JSON.stringify(state, null, 2));
  console.log(`testbed: ${ok ? "up" : "DEGRADED"}`);
  return ok ? 0 : 1;
}

const [command, arg] = process.argv.slice(2);
try {
  if (command === "up") await withMutex(async () => { await up(arg ? Number(arg) : 3); takeLease(process.ppid); });
  else if (command === "down") await withMutex(() => down(arg === "--force"));
  else if (command === "status") process.exitCode = await status();
  else { console.error("usage: bun integration/testbed/cli.ts up [N] | down | status"); process.exitCode = 2; }
} catch (e) {
  log(`${command} failed: ${(e as Error).message}`);
  process.exitCode = 1;
}
