// The testbed's private docker network and its suite SSH key.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { must, run } from "./proc.ts";
import { TESTBED_DIR } from "./state.ts";

export const NETWORK_NAME = "kamal-testbed";

export interface NetworkInfo { name: string; id: string; subnet: string; gateway: string }

export async function createNetwork(): Promise<NetworkInfo> {
  if ((await run(["docker", "network", "inspect", NETWORK_NAME])).code !== 0) {
    await must(["docker", "network", "create", "--driver", "bridge", NETWORK_NAME]);
  }
  const [id, subnet, gateway] = (await must(["docker", "network", "inspect", NETWORK_NAME, "--format",
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
