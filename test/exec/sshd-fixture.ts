// Test fixture: real OpenSSH sshd processes on loopback addresses, keys in a temp dir.
// Used by the component tests and by scripts/bench/fanout.ts. Stop with stop() (kills by pid).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SshdFixture {
  dir: string;
  port: number;
  /** Loopback addresses it listens on. */
  addresses: string[];
  hostKeyPub: string;
  /** Kill sshd by pid, wait for it to exit, remove its directory. */
  stop(): Promise<void>;
}

export function keygen(path: string, type = "ed25519"): string {
  const r = spawnSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "test", "-f", path]);
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return readFileSync(path + ".pub", "utf8");
}

export const makeTempDir = (prefix = "kamal-ssh-"): string => mkdtempSync(join(tmpdir(), prefix));

/** A port nobody listens on right now (on 127.0.0.1). */
export async function freePort(address = "127.0.0.1"): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    if (!(await canConnect(address, port))) return port;
  }
}

/** Can a TCP (host, port) or Unix socket (path, port 0) be connected to? */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = port === 0 ? connect({ path: host }) : connect({ host, port });
    s.once("connect", () => { s.destroy(); resolve(true); });
    s.once("error", () => resolve(false));
  });
}

export interface StartSshdOptions {
  addresses: string[];
  /** Public keys allowed to log in. */
  authorizedKeys: string[];
  port?: number;
  hostKeyType?: string;
  /** Reuse a host key file (to simulate a host that kept its identity). */
  hostKeyFile?: string;
  /** HOME for sessions (sshd's SetEnv). The machine's /root/.bashrc (pyenv) costs ~130 ms per command, since bash
   *  sources ~/.bashrc for commands run by sshd; pointing HOME at an empty dir keeps tests fast. cwd stays /root. */
  sessionHome?: string;
  /** Lines appended to sshd_config (e.g. Match blocks). */
  extraConfig?: string[];
}

export async function startSshd(o: StartSshdOptions): Promise<SshdFixture> {
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const dir = makeTempDir("kamal-sshd-");
  const hostKey = o.hostKeyFile ?? join(dir, "host_key");
  const hostKeyPub = o.hostKeyFile ? readFileSync(o.hostKeyFile + ".pub", "utf8") : keygen(hostKey, o.hostKeyType);
  writeFileSync(join(dir, "authorized_keys"), o.authorizedKeys.join("\n") + "\n");
  const port = o.port ?? (await freePort(o.addresses[0]));
  const config = [
    `Port ${port}`,
    ...o.addresses.map((a) => `ListenAddress ${a}`),
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    `PidFile ${join(dir, "sshd.pid")}`,
    "StrictModes no",
    "UsePAM no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "PermitRootLogin yes",
    "AllowTcpForwarding yes",
    "MaxStartups 500",
    "MaxSessions 50",
    "LogLevel ERROR",
    "Subsystem sftp internal-sftp",
    ...(o.sessionHome ? [`SetEnv HOME=${o.sessionHome}`] : []),
    ...(o.extraConfig ?? []),
  ].join("\n");
  writeFileSync(join(dir, "sshd_config"), config + "\n");
  const child: ChildProcess = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (d) => { log += d; });
  const deadline = Date.now() + 5000;
  while (!(await canConnect(o.addresses[o.addresses.length - 1], port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    dir,
    port,
    addresses: o.addresses,
    hostKeyPub,
    async stop() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
