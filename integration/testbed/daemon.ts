// The machine's Docker engine: use a running one, or start dockerd (no systemd here) and remember its pid.
import { openSync } from "node:fs";
import { spawn } from "node:child_process";
import { log, run, sleep, waitFor } from "./proc.ts";

export const dockerAnswers = async (): Promise<boolean> => (await run(["docker", "info", "--format", "{{.ServerVersion}}"])).code === 0;

/** Returns the pid of the dockerd we started, or null if one was already answering. */
export async function ensureDockerd(): Promise<number | null> {
  if (await dockerAnswers()) return null;
  log("starting dockerd");
  const out = openSync("/var/log/dockerd.log", "a");
  const child = spawn("dockerd", ["--data-root", "/var/lib/docker", "--insecure-registry", "172.16.0.0/12"], {
    detached: true,
    stdio: ["ignore", out, out],
  });
  child.unref();
  const pid = child.pid!;
  await waitFor("dockerd to answer (see /var/log/dockerd.log)", 60_000, dockerAnswers);
  return pid;
}

export function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Stop a daemon we started, by its pid, and wait until it is gone. */
export async function stopPid(pid: number, what: string, timeoutMs = 30_000): Promise<void> {
  if (!isAlive(pid)) return;
  log(`stopping ${what} (pid ${pid})`);
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}
