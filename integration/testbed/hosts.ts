// Docker-in-docker "servers" reachable over SSH, started with exactly the flags TESTBED.md gives
// (--privileged fails here: the capability bounding set lacks CAP_SYS_RESOURCE).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { must, run, waitFor } from "./proc.ts";
import { TESTBED_DIR, type TestbedHost } from "./state.ts";

const SSHD = "mkdir -p /run/sshd && /usr/sbin/sshd";
const WITH_DOCKER = `${SSHD} && exec dockerd --insecure-registry 172.16.0.0/12 >/var/log/dockerd.log 2>&1`;
const WITHOUT_DOCKER = `${SSHD} && exec sleep infinity`;

export async function startHost(name: string, image: string, network: string, sshKey: string, docker: boolean): Promise<TestbedHost> {
  await run(["docker", "rm", "-f", name]);
  const volume = `${name}-docker`;
  await run(["docker", "volume", "rm", "-f", volume]);
  const container = (await must(["docker", "run", "-d",
    "--cap-add=ALL", "--cap-drop=SYS_RESOURCE",
    "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
    "--device-cgroup-rule=a *:* rwm",
    "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/tmp",
    "-v", `${volume}:/var/lib/docker`, "--network", network, "--hostname", name, "--name", name,
    "-v", `${sshKey}.pub:/root/.ssh/authorized_keys:ro`,
    image, "bash", "-c", docker ? WITH_DOCKER : WITHOUT_DOCKER])).trim();
  const ip = (await must(["docker", "inspect", name, "--format", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`])).trim();
  return { name, ip, container, volume, image, docker };
}

export const sshArgs = (host: TestbedHost, key: string, knownHosts = "/dev/null"): string[] => [
  "ssh", "-i", key, "-o", "BatchMode=yes", "-o", `UserKnownHostsFile=${knownHosts}`,
  "-o", knownHosts === "/dev/null" ? "StrictHostKeyChecking=no" : "StrictHostKeyChecking=yes",
  "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR", `root@${host.ip}`,
];

/** Wait until sshd answers with our key and, on Docker hosts, the inner dockerd answers too. */
export async function waitForHost(host: TestbedHost, key: string): Promise<void> {
  const probe = host.docker ? ["docker", "info", "--format", "{{.ServerVersion}}"] : ["true"];
  await waitFor(`${host.name} (${host.ip}) to answer over SSH${host.docker ? " with a running dockerd" : ""}`, 60_000,
    async () => (await run([...sshArgs(host, key), ...probe])).code === 0);
}

/** known_hosts lines for every host (keys scanned once the hosts answer). */
export async function writeKnownHosts(hosts: TestbedHost[]): Promise<string> {
  const file = join(TESTBED_DIR, "known_hosts");
  const scanned = await must(["ssh-keyscan", "-T", "5", "-t", "ed25519,ecdsa,rsa", ...hosts.map((h) => h.ip)]);
  writeFileSync(file, scanned);
  return file;
}

export async function removeHost(host: TestbedHost): Promise<void> {
  await run(["docker", "rm", "-f", "-v", host.container]);
  await run(["docker", "volume", "rm", "-f", host.volume]);
}
