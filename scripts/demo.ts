// The local demo (`npm run demo`): docker-in-docker hosts and our `kamal` binary deploying a sample app to them
// exactly as a Kamal user would, while HTTP load runs against every host: zero failed requests.
//
//   1. testbed up (installs Docker etc. when missing, 3 hosts reachable over SSH, a registry), dist/kamal built
//   2. a sample app (a git repo with a Dockerfile and config/deploy.yml listing the hosts): `kamal config`,
//      `kamal server exec`, `kamal lock status`
//   3. `kamal setup`: Docker checked, v1 built and pushed, kamal-proxy (its image written from our own executable)
//      booted on every host, v1 booted behind it
//   4. HTTP load on every host while `kamal deploy` ships v2, then v3, and `kamal rollback` brings v2 back
//   5. a summary: requests, failures (must be 0), versions each host served in order. Exit 1 on any failure.
// KEEP_TESTBED=1 leaves the hosts running afterwards.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { renderCmd, type Cmd } from "../src/shell/index.ts";
import { sshArgs } from "../integration/testbed/hosts.ts";
import { IMAGES } from "../integration/testbed/images.ts";
import { requireState, type TestbedHost, type TestbedState } from "../integration/testbed/state.ts";

const REPO = resolve(import.meta.dirname, "..");
const BUN = join(REPO, "node_modules/.bin/bun");
const KAMAL = join(REPO, "dist/kamal");
const SERVICE = "demo";
const say = (msg: string) => process.stdout.write(`\x1b[35m${msg}\x1b[0m\n`);

function local(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.status})`);
  return r.stdout;
}

/** Run on a host over OpenSSH (for cleaning up what an earlier demo left). */
function onHost(state: TestbedState, host: TestbedHost, command: Cmd | string): Promise<string> {
  const [ssh, ...args] = sshArgs(host, state.sshKey, state.knownHosts);
  const line = typeof command === "string" ? command : renderCmd(command);
  return new Promise((done) => {
    const child = spawn(ssh, [...args, line], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", () => done(out));
  });
}

interface LoadResult { requests: number; failures: string[]; versions: Record<string, string[]> }

/**
 * Closed-loop HTTP load against every host's port 80 until stop() resolves; records each status and body. Versions are
 * listed in the order the requests were sent: with two workers per host, a request sent just before a switch may be
 * answered by the old version after a newer request got the new one (it was in flight while the old one drained).
 */
function startLoad(hosts: TestbedHost[], workersPerHost = 2): { stop: () => Promise<LoadResult> } {
  const result: LoadResult = { requests: 0, failures: [], versions: Object.fromEntries(hosts.map((h) => [h.name, []])) };
  const answers: Record<string, Array<[number, string]>> = Object.fromEntries(hosts.map((h) => [h.name, []]));
  let running = true;
  let sent = 0;
  const worker = async (host: TestbedHost) => {
    while (running) {
      const order = sent++;
      try {
        const res = await fetch(`http://${host.ip}/`, { signal: AbortSignal.timeout(10_000) });
        const body = (await res.text()).trim();
        result.requests++;
        if (res.status !== 200) result.failures.push(`${host.name}: HTTP ${res.status}`);
        else answers[host.name].push([order, body]);
      } catch (e) {
        result.requests++;
        result.failures.push(`${host.name}: ${(e as Error).message}`);
      }
    }
  };
  const all = hosts.flatMap((h) => Array.from({ length: workersPerHost }, () => worker(h)));
  return {
    stop: async () => {
      running = false;
      await Promise.all(all);
      for (const [name, list] of Object.entries(answers)) {
        for (const [, body] of list.sort((a, b) => a[0] - b[0])) if (result.versions[name].at(-1) !== body) result.versions[name].push(body);
      }
      return result;
    },
  };
}

const DOCKERFILE = [
  `FROM ${IMAGES.busybox}`,
  "COPY index.html /www/index.html",
  "RUN mkdir -p /www/up && echo ok > /www/up/index.html",
  'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]',
  "",
].join("\n");

async function main(): Promise<number> {
  say("== Testbed: docker-in-docker hosts reachable over SSH");
  local(["bash", "scripts/ensure-deps.sh"]);
  local([BUN, "integration/testbed/cli.ts", "up"]);
  const state = requireState();
  const hosts = state.hosts;
  say("== Building the single executable (dist/kamal)");
  local([BUN, "scripts/build.ts"]);
  // What an earlier demo left on the hosts.
  await Promise.all(hosts.map((h) => onHost(state, h,
    `docker ps -aq --filter label=service=${SERVICE} | xargs -r docker rm -f; rm -rf .kamal/apps/${SERVICE} .kamal/lock-${SERVICE}; ` +
    `docker exec kamal-proxy kamal-proxy remove ${SERVICE}-web >/dev/null 2>&1; true`)));

  const app = mkdtempSync(join(tmpdir(), "kamal-demo-"));
  const home = join(app, ".home");
  try {
    mkdirSync(join(home, ".ssh"), { recursive: true });
    mkdirSync(join(app, "config"));
    local(["cp", state.knownHosts, join(home, ".ssh/known_hosts")]);
    writeFileSync(join(app, "config/deploy.yml"), [
      `service: ${SERVICE}`, `image: ${SERVICE}`, "servers:", "  web:", ...hosts.map((h) => `    - ${h.ip}`),
      "proxy:", "  app_port: 80", "  healthcheck:", "    path: /up", "    interval: 1",
      "registry:", `  server: ${state.registry.address}`, "  username: demo", "  password: [ DEMO_REGISTRY_PASSWORD ]",
      "builder:", "  arch: amd64", "ssh:", "  user: root", `  keys: [ ${state.sshKey} ]`, "  keys_only: true", "  config: false",
      "drain_timeout: 5", "stop_timeout: 2", "",
    ].join("\n"));
    writeFileSync(join(app, "Dockerfile"), DOCKERFILE);
    writeFileSync(join(app, ".gitignore"), ".home/\n");
    mkdirSync(join(app, ".kamal"));
    writeFileSync(join(app, ".kamal/secrets"), "DEMO_REGISTRY_PASSWORD=not-shown-anywhere\n");
    const env = { ...process.env, HOME: home, GIT_CONFIG_GLOBAL: "/dev/null", NO_COLOR: "1" };
    const git = (...args: string[]) => local(["git", "-c", "user.name=Demo", "-c", "user.email=demo@example.com", ...args], { cwd: app, env }).trim();
    const release = (body: string): string => {
      writeFileSync(join(app, "index.html"), `${body}\n`);
      git("add", "-A");
      git("commit", "-q", "-m", body);
      return git("rev-parse", "HEAD");
    };
    // Asynchronous, so the load keeps running while kamal works; output streamed as it comes.
    const kamal = (...args: string[]): Promise<void> => {
      say(`$ kamal ${args.join(" ")}`);
      return new Promise((done, fail) => {
        const child = spawn(KAMAL, args, { cwd: app, env, stdio: ["ignore", "inherit", "inherit"] });
        child.on("close", (code) => (code === 0 ? done() : fail(new Error(`kamal ${args.join(" ")} exited ${code}`))));
      });
    };
    git("init", "-q");
    release("v1");

    say("== The sample app's configuration, as `kamal config` resolves it");
    await kamal("config");
    say("== Fan-out over SSH to every host");
    await kamal("server", "exec", "docker --version");
    await kamal("lock", "status");

    say("== kamal setup: build and push v1, boot kamal-proxy (image written from our own executable), boot v1");
    await kamal("setup");

    say("== HTTP load on every host while v2 and v3 are deployed and v2 is rolled back to");
    const load = startLoad(hosts);
    const started = Date.now();
    const v2 = release("v2");
    await kamal("deploy");
    release("v3");
    await kamal("deploy");
    await kamal("rollback", v2);
    await new Promise((r) => setTimeout(r, 1500));
    const result = await load.stop();
    const seconds = (Date.now() - started) / 1000;
    say("== Result");
    process.stdout.write(`requests: ${result.requests} in ${seconds.toFixed(1)}s (${(result.requests / seconds).toFixed(0)}/s), ` +
      `failed or non-200: ${result.failures.length}\n`);
    for (const [name, seen] of Object.entries(result.versions)) process.stdout.write(`  ${name} served: ${seen.join(" -> ")}\n`);
    for (const f of result.failures.slice(0, 10)) process.stdout.write(`  ${f}\n`);
    const inOrder = Object.values(result.versions).every((seen) => seen.join(",") === "v1,v2,v3,v2");
    return result.failures.length === 0 && inOrder ? 0 : 1;
  } finally {
    rmSync(app, { recursive: true, force: true });
    if (process.env.KEEP_TESTBED !== "1") spawnSync(BUN, ["integration/testbed/cli.ts", "down"], { cwd: REPO, stdio: "inherit" });
  }
}

main().then((code) => process.exit(code), (e) => { process.stderr.write(`demo failed: ${(e as Error).message}\n`); process.exit(1); });
