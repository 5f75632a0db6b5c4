// A plain-HTTP registry (Debian's docker-registry, distribution 2.8) bound to the test network's gateway,
// so the machine (pusher) and every host (pullers) use the same address.
import { openSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { stopPid } from "./daemon.ts";
import { waitFor } from "./proc.ts";
import { TESTBED_DIR } from "./state.ts";

export const REGISTRY_PORT = 5000;

export async function startRegistry(gateway: string): Promise<{ address: string; pid: number; dataDir: string }> {
  const dataDir = join(TESTBED_DIR, "registry-data");
  mkdirSync(dataDir, { recursive: true });
  const address = `${gateway}:${REGISTRY_PORT}`;
  const config = join(TESTBED_DIR, "registry.yml");
  writeFileSync(config, [
    "version: 0.1",
    "log: { level: warn }",
    "storage:",
    `  filesystem: { rootdirectory: ${dataDir} }`,
    "  delete: { enabled: true }",
    `http: { addr: "${address}" }`,
    "",
  ].join("\n"));
  // A registry left behind by an earlier testbed whose state file was lost: same binary, same config file.
  for (const pid of registryPidsServing(config)) await stopPid(pid, "a leftover testbed registry");
  const out = openSync(join(TESTBED_DIR, "registry.log"), "a");
  const child = spawn("docker-registry", ["serve", config], { detached: true, stdio: ["ignore", out, out] });
  child.unref();
  await waitFor(`the registry at ${address}`, 20_000, async () => (await fetch(`http://${address}/v2/`)).ok);
  return { address, pid: child.pid!, dataDir };
}

/** pids of `docker-registry serve <config>` processes for exactly this config file. */
function registryPidsServing(config: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (argv[0].endsWith("docker-registry") && argv[1] === "serve" && argv[2] === config) pids.push(Number(entry));
    } catch { /* process gone */ }
  }
  return pids;
}
