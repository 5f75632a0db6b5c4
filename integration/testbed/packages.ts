// Debian packages the testbed needs, installed with apt when their binaries are missing (fresh CI machine, root).
import { existsSync } from "node:fs";
import { log, must } from "./proc.ts";

const NEEDED: [pkg: string, binary: string][] = [
  ["docker.io", "/usr/sbin/dockerd"],
  ["debootstrap", "/usr/sbin/debootstrap"],
  ["busybox-static", "/bin/busybox"],
  ["docker-registry", "/usr/bin/docker-registry"],
  ["openssh-client", "/usr/bin/ssh"],
  ["iproute2", "/usr/sbin/ip"],
];

export async function ensurePackages(): Promise<void> {
  const missing = NEEDED.filter(([, bin]) => !existsSync(bin)).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages ${missing.join(", ")}: run as root or install them`);
  log(`installing ${missing.join(" ")}`);
  await must(["apt-get", "update", "-qq"]);
  await must(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing], { env: { DEBIAN_FRONTEND: "noninteractive" } });
}
