// Helpers for the integration tests: a temp app whose config/deploy.yml lists the testbed hosts, and our CLI run as a
// real process (`bun src/main.ts ...`) in it, with a private HOME holding the testbed's known_hosts.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawn } from "node:child_process";
import { REPO_ROOT, requireState, type TestbedHost, type TestbedState } from "./testbed/state.ts";
import { run, waitFor } from "./testbed/proc.ts";
import { sshArgs } from "./testbed/hosts.ts";

export const BUN = join(REPO_ROOT, "node_modules/.bin/bun");
export const MAIN = join(REPO_ROOT, "src/main.ts");

export interface App {
  dir: string;
  env: Record<string, string>;
  state: TestbedState;
  cleanup(): void;
}

export function deployYml(service: string, hosts: string[], state: TestbedState, extra = ""): string {
  return [
    `service: ${service}`,
    `image: ${service}`,
    "servers:",
    ...hosts.map((h) => `  - ${h}`),
    "registry:",
    `  server: ${state.registry.address}`,
    "  username: testbed",
    "  password: testbed",
    "builder:",
    "  arch: amd64",
    "ssh:",
    "  user: root",
    `  keys: [ ${state.sshKey} ]`,
    "  keys_only: true",
    "  config: false",
    extra,
  ].join("\n");
}

/** A temp app dir (a real git repo: Kamal's version is the commit) with config/deploy.yml and extra files (hooks are made executable). */
export function makeApp(service: string, opts: { hosts?: TestbedHost[]; files?: Record<string, string>; extraYml?: string } = {}): App {
  const state = requireState();
  const dir = mkdtempSync(join(tmpdir(), `kamal-it-${service}-`));
  const hosts = (opts.hosts ?? state.hosts).map((h) => h.ip);
  const home = join(dir, ".home");
  mkdirSync(join(home, ".ssh"), { recursive: true });
  writeFileSync(join(home, ".ssh/known_hosts"), requireKnownHosts(state));
  const files = { "config/deploy.yml": deployYml(service, hosts, state, opts.extraYml), ...opts.files };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    if (path.includes("hooks/")) chmodSync(join(dir, path), 0o755);
  }
  const env = { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin", GIT_CONFIG_GLOBAL: "/dev/null", NO_COLOR: "1" };
  return { dir, env, state, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function requireKnownHosts(state: TestbedState): string {
  return readFileSync(state.knownHosts, "utf8");
}

/** git init + commit as "Deployer <deployer@example.com>" (what Kamal's lock and audit lines name). */
export async function commitApp(app: App): Promise<string> {
  const g = (...args: string[]) => run(["git", "-C", app.dir, ...args], { env: app.env });
  await g("init", "-q");
  await g("config", "user.name", "Deployer");
  await g("config", "user.email", "deployer@example.com");
  await g("add", "-A");
  await g("commit", "-q", "-m", "Initial version");
  return (await g("rev-parse", "HEAD")).stdout.trim();
}

export interface KamalResult { code: number; stdout: string; stderr: string; output: string; seconds: number }

/** Start `kamal <args>` in the app dir; resolves when it exits. */
export function kamal(app: App, args: string[], extraEnv: Record<string, string> = {}): Promise<KamalResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(BUN, [MAIN, ...args], { cwd: app.dir, env: { ...app.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (d) => { stdout += d; output += d; });
    child.stderr.on("data", (d) => { stderr += d; output += d; });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, output, seconds: (performance.now() - started) / 1000 }));
  });
}

/** Run a command on a testbed host over plain OpenSSH (independent of our SSH code). */
export async function onHost(state: TestbedState, host: TestbedHost, command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return run([...sshArgs(host, state.sshKey, state.knownHosts), command]);
}

/** Bring a killed host container back and wait for sshd and its dockerd. */
export async function restartHost(state: TestbedState, host: TestbedHost): Promise<void> {
  await run(["docker", "start", host.container]);
  await waitFor(`${host.name} to answer again`, 60_000, async () => (await onHost(state, host, "docker info >/dev/null")).code === 0);
}

/** makeApp + commitApp: a ready app dir and its version. */
export async function createApp(service: string, opts: Parameters<typeof makeApp>[1] = {}): Promise<App & { version: string }> {
  const app = makeApp(service, opts);
  return { ...app, version: await commitApp(app) };
}
