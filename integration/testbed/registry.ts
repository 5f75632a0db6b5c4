// A plain-HTTP registry (Debian's docker-registry, distribution 2.8) bound to the test network's gateway,
// so the machine (pusher) and every host (pullers) use the same address.
import { openSync, mkdirSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
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
  const out = openSync(join(TESTBED_DIR, "registry.log"), "a");
  const child = spawn("docker-registry", ["serve", config], { detached: true, stdio: ["ignore", out, out] });
  child.unref();
  await waitFor(`the registry at ${address}`, 20_000, async () => (await fetch(`http://${address}/v2/`)).ok);
  return { address, pid: child.pid!, dataDir };
}
