// Images the testbed makes itself (nothing can be pulled here), cached in the machine's Docker: built only when missing.
//   host:      Debian bookworm minbase + openssh-server + docker.io (a "server" that runs Docker inside)
//   bare host: the same without Docker (for `kamal server bootstrap`)
//   busybox:   busybox-static with its applets, the base image for test apps
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, copyFileSync, chmodSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { log, must, mustSh, run } from "./proc.ts";

export const IMAGES = {
  host: "kamal-testbed-host:bookworm",
  bareHost: "kamal-testbed-bare-host:bookworm",
  busybox: "kamal-testbed-busybox:latest",
};

const MIRROR = "http://deb.debian.org/debian";

export const imageExists = async (name: string): Promise<boolean> => (await run(["docker", "image", "inspect", name])).code === 0;

async function buildHostImage(): Promise<void> {
  const dir = mkdtempSync(join("/var/tmp", "kamal-testbed-rootfs-"));
  try {
    log(`building ${IMAGES.host} with debootstrap (about a minute, once per machine)`);
    const t = Date.now();
    await must(["debootstrap", "--variant=minbase", "--include=openssh-server,docker.io,iproute2,ca-certificates,curl",
      "bookworm", dir, MIRROR]);
    await mustSh(`tar -C '${dir}' -c . | docker import - '${IMAGES.host}'`);
    log(`built ${IMAGES.host} in ${((Date.now() - t) / 1000).toFixed(0)}s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bare host is the host image with Docker purged (no network needed, ~20 s). */
async function buildBareHostImage(): Promise<void> {
  const builder = `kamal-testbed-build-bare-${process.pid}`;
  log(`building ${IMAGES.bareHost}`);
  try {
    await must(["docker", "run", "--name", builder, "--network", "none", IMAGES.host, "bash", "-c",
      "DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq docker.io containerd runc >/dev/null && " +
      "apt-get autoremove -y -qq --purge >/dev/null && rm -rf /var/lib/docker /var/lib/apt/lists/* && ! command -v docker"]);
    await mustSh(`docker export '${builder}' | docker import - '${IMAGES.bareHost}'`);
  } finally {
    await run(["docker", "rm", "-f", builder]);
  }
}

async function buildBusyboxImage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "kamal-testbed-busybox-"));
  try {
    log(`building ${IMAGES.busybox}`);
    mkdirSync(join(dir, "bin"));
    for (const d of ["tmp", "www", "etc", "root"]) mkdirSync(join(dir, d));
    chmodSync(join(dir, "tmp"), 0o1777);
    copyFileSync("/bin/busybox", join(dir, "bin/busybox"));
    chmodSync(join(dir, "bin/busybox"), 0o755);
    const applets = (await must(["/bin/busybox", "--list"])).split("\n").filter((a) => a && a !== "busybox");
    for (const a of applets) symlinkSync("busybox", join(dir, "bin", a));
    writeFileSync(join(dir, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
    writeFileSync(join(dir, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    await mustSh(`tar -C '${dir}' -c . | docker import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' - '${IMAGES.busybox}'`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ensureImages(): Promise<void> {
  if (!(await imageExists(IMAGES.host))) await buildHostImage();
  if (!(await imageExists(IMAGES.bareHost))) await buildBareHostImage();
  if (!(await imageExists(IMAGES.busybox))) await buildBusyboxImage();
}
