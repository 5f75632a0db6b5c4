// Several programs share one testbed (the integration suite, the demo, a developer's shell). `up` takes a lease for
// its caller (the parent process id: run.sh, the demo script); `down` gives that lease back and tears the testbed
// down only when no live lease is left. A mutex directory serialises up/down between processes.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive } from "./daemon.ts";
import { sleep } from "./proc.ts";
import { TESTBED_DIR } from "./state.ts";

const LEASES = join(TESTBED_DIR, "leases");
const MUTEX = join(TESTBED_DIR, "mutex");

export function takeLease(holder: number): void {
  mkdirSync(LEASES, { recursive: true });
  writeFileSync(join(LEASES, String(holder)), "");
}

/** Drops this holder's lease and those of dead holders; returns the holders still alive. */
export function dropLease(holder: number): number[] {
  mkdirSync(LEASES, { recursive: true });
  rmSync(join(LEASES, String(holder)), { force: true });
  const alive: number[] = [];
  for (const name of readdirSync(LEASES)) {
    const pid = Number(name);
    if (Number.isInteger(pid) && isAlive(pid)) alive.push(pid);
    else rmSync(join(LEASES, name), { force: true });
  }
  return alive;
}

export function clearLeases(): void { rmSync(LEASES, { recursive: true, force: true }); }

/** Run fn while holding the testbed mutex (a directory; a holder that died is detected by its pid). */
export async function withMutex<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(TESTBED_DIR, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(MUTEX);
      writeFileSync(join(MUTEX, "pid"), String(process.pid));
      break;
    } catch {
      let owner = NaN;
      try { owner = Number(readFileSync(join(MUTEX, "pid"), "utf8")); } catch { /* being written */ }
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(MUTEX, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`testbed busy: ${MUTEX} held by pid ${owner}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(MUTEX, { recursive: true, force: true });
  }
}
