// The local demo (`npm run demo`): docker-in-docker hosts, our `kamal` binary driving them over SSH, and a sample app
// switched between three versions through our kamal-proxy on every host while HTTP load runs: zero failed requests.
//
//   1. testbed up (installs Docker etc. when missing, 3 hosts reachable over SSH), dist/kamal built
//   2. a sample app dir (config/deploy.yml listing the hosts): `kamal config`, `kamal server exec`, `kamal lock status`
//   3. the kamal-proxy image written from our own executable, loaded on every host, started with Kamal's `docker run` line
//   4. app v1 deployed; load starts; v2 and v3 booted and switched to, old containers drained and removed
//   5. a summary: requests, failures (must be 0), versions seen in order. Exit 1 on any failure.
// KEEP_TESTBED=1 leaves the hosts running afterwards.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROXY_COMPAT_VERSION, writeProxyImage } from "../src/build/proxy-image.ts";
import { cmd, concat, docker, raw, renderCmd, seq, type Cmd } from "../src/shell/index.ts";
import { sshArgs } from "../integration/testbed/hosts.ts";
import { IMAGES } from "../integration/testbed/images.ts";
import { requireState, type TestbedHost, type TestbedState } from "../integration/testbed/state.ts";

const REPO = resolve(import.meta.dirname, "..");
const BUN = join(REPO, "node_modules/.bin/bun");
const KAMAL = join(REPO, "dist/kamal");
const SERVICE = "demo";
const PROXY_IMAGE = `basecamp/kamal-proxy:${PROXY_COMPAT_VERSION}`;
const say = (msg: string) => process.stdout.write(`\x1b[35m${msg}\x1b[0m\n`);

function local(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.status})`);
  return r.stdout;
}

/** Run on a host over OpenSSH; stdin piped from a local command when given. */
function onHost(state: TestbedState, host: TestbedHost, command: Cmd, stdinFrom?: string[]): Promise<string> {
  const [ssh, ...args] = sshArgs(host, state.sshKey, state.knownHosts);
  return new Promise((done, fail) => {
    const child = spawn(ssh, [...args, renderCmd(command)], { stdio: ["pipe", "pipe", "pipe"] });
    if (stdinFrom) {
      const feeder = spawn(stdinFrom[0], stdinFrom.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
      feeder.stdout.pipe(child.stdin);
    } else child.stdin.end();
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => (code === 0 ? done(out) : fail(new Error(`${host.name}: ${renderCmd(command)}: ${err || out}`))));
  });
}

function appContainer(version: string): Cmd {
  const script = `mkdir -p /www/up && echo ${version} > /www/index.html && echo ok > /www/up/index.html && exec httpd -f -p 80 -h /www`;
  return docker("run", "--detach", "--name", `${SERVICE}-web-${version}`, "--network", "kamal",
    "--label", `service=${SERVICE}`, "--label", "role=web", IMAGES.busybox, "sh", "-c", script);
}

const proxyDeploy = (version: string): Cmd =>
  docker("exec", "kamal-proxy", "kamal-proxy", "deploy", `${SERVICE}-web`, `--target=${SERVICE}-web-${version}:80`,
    "--health-check-path=/up", "--deploy-timeout=30s", "--drain-timeout=5s", "--buffer-requests", "--buffer-responses");

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

async function main(): Promise<number> {
  say("== Testbed: docker-in-docker hosts reachable over SSH");
  local(["bash", "scripts/ensure-deps.sh"]);
  local([BUN, "integration/testbed/cli.ts", "up"]);
  const state = requireState();
  const hosts = state.hosts;
  say("== Building the single executable (dist/kamal)");
  local([BUN, "scripts/build.ts"]);

  const app = mkdtempSync(join(tmpdir(), "kamal-demo-"));
  const home = join(app, ".home");
  try {
    mkdirSync(join(home, ".ssh"), { recursive: true });
    mkdirSync(join(app, "config"));
    local(["cp", state.knownHosts, join(home, ".ssh/known_hosts")]);
    writeFileSync(join(app, "config/deploy.yml"), [
      `service: ${SERVICE}`, `image: ${SERVICE}`, "servers:", "  web:", ...hosts.map((h) => `    - ${h.ip}`),
      "proxy:", "  app_port: 80", "  healthcheck:", "    path: /up",
      "registry:", `  server: ${state.registry.address}`, "  username: demo", "  password: [ DEMO_REGISTRY_PASSWORD ]",
      "builder:", "  arch: amd64", "ssh:", "  user: root", `  keys: [ ${state.sshKey} ]`, "  keys_only: true", "  config: false", "",
    ].join("\n"));
    mkdirSync(join(app, ".kamal"));
    writeFileSync(join(app, ".kamal/secrets"), "DEMO_REGISTRY_PASSWORD=not-shown-anywhere\n");
    const env = { ...process.env, HOME: home, GIT_CONFIG_GLOBAL: "/dev/null", NO_COLOR: "1" };
    local(["git", "init", "-q"], { cwd: app, env });
    local(["git", "-c", "user.name=Demo", "-c", "user.email=demo@example.com", "commit", "-q", "--allow-empty", "-m", "demo"], { cwd: app, env });
    const kamal = (...args: string[]) => { say(`$ kamal ${args.join(" ")}`); process.stdout.write(local([KAMAL, ...args], { cwd: app, env })); };

    say("== The sample app's configuration, as `kamal config` resolves it");
    kamal("config");
    say("== Fan-out over SSH to every host");
    kamal("server", "exec", "docker --version");
    kamal("lock", "status");

    say("== kamal-proxy image written from our own executable, loaded and started on every host");
    const archive = join(app, "kamal-proxy.tar");
    await writeProxyImage({ binaryPath: KAMAL, outputPath: archive });
    await Promise.all(hosts.map(async (h) => {
      await onHost(state, h, seq(docker("rm", "-f", "kamal-proxy", ...["v1", "v2", "v3"].map((v) => `${SERVICE}-web-${v}`)),
        docker("volume", "rm", "-f", "kamal-proxy-config"), docker("network", "create", "kamal"), cmd("true")));
      await onHost(state, h, docker("load"), ["cat", archive]);
      await onHost(state, h, docker("load"), ["docker", "save", IMAGES.busybox]);
      await onHost(state, h, docker("run", "--name", "kamal-proxy", "--network", "kamal", "--detach", "--restart", "unless-stopped",
        "--volume", "kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy",
        "--volume", concat(raw("$PWD"), "/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config"),
        "--publish", "80:80", "--publish", "443:443", "--log-opt", "max-size=10m", PROXY_IMAGE));
      await onHost(state, h, appContainer("v1"));
      await onHost(state, h, proxyDeploy("v1"));
    }));

    say("== HTTP load on every host while v2 and then v3 are deployed");
    const load = startLoad(hosts);
    const started = Date.now();
    let previous = "v1";
    for (const version of ["v2", "v3"]) {
      await new Promise((r) => setTimeout(r, 1500));
      await Promise.all(hosts.map(async (h) => {
        await onHost(state, h, appContainer(version));
        await onHost(state, h, proxyDeploy(version));
        await onHost(state, h, seq(docker("stop", "-t", "5", `${SERVICE}-web-${previous}`), docker("rm", `${SERVICE}-web-${previous}`)));
      }));
      say(`   deployed ${version} on ${hosts.length} hosts`);
      previous = version;
    }
    await new Promise((r) => setTimeout(r, 1500));
    const result = await load.stop();
    const seconds = (Date.now() - started) / 1000;
    say("== Result");
    process.stdout.write(`requests: ${result.requests} in ${seconds.toFixed(1)}s (${(result.requests / seconds).toFixed(0)}/s), ` +
      `failed or non-200: ${result.failures.length}\n`);
    for (const [name, seen] of Object.entries(result.versions)) process.stdout.write(`  ${name} served: ${seen.join(" -> ")}\n`);
    for (const f of result.failures.slice(0, 10)) process.stdout.write(`  ${f}\n`);
    const inOrder = Object.values(result.versions).every((seen) => seen.join(",") === "v1,v2,v3");
    return result.failures.length === 0 && inOrder ? 0 : 1;
  } finally {
    rmSync(app, { recursive: true, force: true });
    if (process.env.KEEP_TESTBED !== "1") spawnSync(BUN, ["integration/testbed/cli.ts", "down"], { cwd: REPO, stdio: "inherit" });
  }
}

main().then((code) => process.exit(code), (e) => { process.stderr.write(`demo failed: ${(e as Error).message}\n`); process.exit(1); });
