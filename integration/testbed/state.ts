// The testbed's state file (.testbed/state.json in the repository): what `up` created, so tests can find the
// hosts and `down` can remove exactly that.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const TESTBED_DIR = join(REPO_ROOT, ".testbed");
export const STATE_FILE = join(TESTBED_DIR, "state.json");

export interface TestbedHost { name: string; ip: string; container: string; volume: string; image: string; docker: boolean }

export interface TestbedState {
  createdAt: string;
  /** pid of the dockerd the testbed started, or null when one was already running */
  dockerdPid: number | null;
  network: { name: string; id: string; subnet: string; gateway: string };
  hosts: TestbedHost[];
  /** the host without Docker, for `server bootstrap` tests */
  bareHost: TestbedHost | null;
  registry: { address: string; pid: number | null; dataDir: string };
  sshKey: string;
  sshUser: string;
  knownHosts: string;
  images: { host: string; bareHost: string; busybox: string };
}

export function readState(): TestbedState | null {
  if (!existsSync(STATE_FILE)) return null;
  return JSON.parse(readFileSync(STATE_FILE, "utf8")) as TestbedState;
}

export function writeState(state: TestbedState): void {
  mkdirSync(TESTBED_DIR, { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2) + "\n");
}

export function removeState(): void { rmSync(STATE_FILE, { force: true }); }

/** For tests: the state, or an error saying how to start the testbed. */
export function requireState(): TestbedState {
  const s = readState();
  if (!s) throw new Error(`no testbed: run 'node_modules/.bin/bun integration/testbed/cli.ts up' first (${STATE_FILE} missing)`);
  return s;
}
