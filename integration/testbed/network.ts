// The testbed's private docker network and its suite SSH key.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { must, run } from "./proc.ts";
import { TESTBED_DIR } from "./state.ts";

/** The testbed's name: prefix of its containers, volumes and network. KAMAL_TESTBED_NAME lets several checkouts of the
 * repository (each with its own .testbed/) run their own testbeds side by side on one Docker engine. */
export const NETWORK_NAME = process.env.KAMAL_TESTBED_NAME || "kamal-testbed";

export interface NetworkInfo { name: string; id: string; subnet: string; gateway: string }

export async function createNetwork(): Promise<NetworkInfo> {
  const id0 = (await must(["docker", "network", "create", "--driver", "bridge", "--label", "kamal-testbed=1", NETWORK_NAME])).trim();
  const [id, subnet, gateway] = (await must(["docker", "network", "inspect", id0, "--format",
    "{{.Id}} {{(index .IPAM.Config 0).Subnet}} {{(index .IPAM.Config 0).Gateway}}"])).trim().split(" ");
  return { name: NETWORK_NAME, id, subnet, gateway };
}

export async function removeNetwork(name: string): Promise<void> {
  await run(["docker", "network", "rm", name]);
}

/** A passphrase-less ed25519 key for the suite; kept across runs in .testbed/. */
export async function ensureSshKey(): Promise<string> {
  const key = join(TESTBED_DIR, "id_ed25519");
  if (!existsSync(key)) await must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kamal-testbed", "-f", key]);
  return key;
}

/** Remove what an earlier testbed left behind without a state file (its fixed names): containers, volumes, networks. */
export async function removeLeftovers(): Promise<void> {
  const names = (await run(["docker", "ps", "-a", "--filter", `name=^${NETWORK_NAME}-`, "--format", "{{.Names}}"])).stdout.split("\n").filter(Boolean);
  for (const name of names) await run(["docker", "rm", "-f", "-v", name]);
  const volumes = (await run(["docker", "volume", "ls", "-q", "--filter", `name=^${NETWORK_NAME}-`])).stdout.split("\n").filter(Boolean);
  for (const v of volumes) await run(["docker", "volume", "rm", "-f", v]);
  const networks = (await run(["docker", "network", "ls", "-q", "--filter", `name=^${NETWORK_NAME}$`])).stdout.split("\n").filter(Boolean);
  for (const n of networks) await run(["docker", "network", "rm", n]);
}
