// Checks and installation of Docker on a host (reference §3.14, Kamal's commands/docker.rb).
import { and, cmd, concat, group, or, pipe, raw, redirect, sh, subst, type Cmd } from "../shell/index.ts";

const currentUser = concat(raw('"${USER:-'), subst(cmd("id", "-un")), raw('}"'));
const isRootTest = cmd(raw("["), raw('"${EUID:-$(id -u)}"'), "-eq", "0", raw("]"));

/** docker -v */
export const dockerInstalled = (): Cmd => cmd("docker", "-v");
/** docker version (the daemon answers) */
export const dockerRunning = (): Cmd => cmd("docker", "version");
/** [ "${EUID:-$(id -u)}" -eq 0 ] || sudo -nl usermod >/dev/null */
export const superuser = (): Cmd => or(isRootTest, redirect(cmd("sudo", "-nl", "usermod"), ">", "/dev/null"));
/** [ "${EUID:-$(id -u)}" -eq 0 ] */
export const root = (): Cmd => isRootTest;
/** id -nG "${USER:-$(id -un)}" | grep -qw docker */
export const inDockerGroup = (): Cmd => pipe(cmd("id", "-nG", currentUser), cmd("grep", "-qw", "docker"));
/** sudo -n usermod -aG docker "${USER:-$(id -un)}" */
export const addToDockerGroup = (): Cmd => cmd("sudo", "-n", "usermod", "-aG", "docker", currentUser);
/** kill -HUP $PPID: ends the SSH session so the next one sees the new group. */
export const refreshSession = (): Cmd => cmd("kill", "-HUP", raw("$PPID"));

/** Kamal's installer: get.docker.com through curl or wget. */
export const installFromGetDocker = (): Cmd =>
  pipe(sh(or(cmd("curl", "-fsSL", "https://get.docker.com"), cmd("wget", "-O", "-", "https://get.docker.com"), cmd("echo", "exit 1"))), cmd("sh"));

/** Our fallback when get.docker.com is unreachable: the distribution's own package (apt, dnf, yum, zypper, apk). */
export const installFromDistribution = (): Cmd => {
  const has = (bin: string): Cmd => redirect(cmd("command", "-v", bin), ">", "/dev/null");
  return or(
    group(and(has("apt-get"), cmd("apt-get", "update", "-qq"),
      cmd("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "--no-install-recommends", "docker.io"))),
    group(and(has("dnf"), cmd("dnf", "install", "-y", "docker"))),
    group(and(has("yum"), cmd("yum", "install", "-y", "docker"))),
    group(and(has("zypper"), cmd("zypper", "--non-interactive", "install", "docker"))),
    group(and(has("apk"), cmd("apk", "add", "--no-cache", "docker"))),
  );
};

/** get.docker.com first (as Kamal does), the distribution package if that fails. */
export const installDocker = (): Cmd => or(installFromGetDocker(), installFromDistribution());
