// `kamal proxy …` on testbed hosts, through the real CLI: boot loads our image (written from a compiled kamal) once per
// host and a second boot loads nothing; boot_config set/get/reset + reboot --rolling move the proxy's port with the
// hooks around each host; details/logs/stop/start/remove; a host whose `uname -m` says aarch64 never gets the x64 image.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, kamal, onHost, BUN, MAIN, type App } from "./support.ts";
import { requireState, type TestbedHost, type TestbedState } from "./testbed/state.ts";

let state: TestbedState;
let hosts: TestbedHost[];
let arm: TestbedHost;
let work: string;
let binary: string;
let app: App;
let imageId: string;

const CLEAN = "docker rm -f kamal-proxy >/dev/null 2>&1; docker image rm -f basecamp/kamal-proxy:v0.9.2 kamal-ts/kamal-proxy:v0.9.2 >/dev/null 2>&1; rm -rf .kamal/proxy; true";
const UNAME_WRAPPER = "/usr/local/bin/uname";

async function must(host: TestbedHost, command: string): Promise<string> {
  const r = await onHost(state, host, command);
  if (r.code !== 0) throw new Error(`${host.name}: ${command}: exit ${r.code}: ${r.stderr}`);
  return r.stdout.trim();
}

async function status(url: string): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status;
    } catch (e) {
      if (i >= 30) throw e;
      await Bun.sleep(300);
    }
  }
}

const run = (args: string[]) => kamal(app, args, { KAMAL_PROXY_EXECUTABLE: binary });

beforeAll(async () => {
  state = requireState();
  hosts = state.hosts.slice(0, 2);
  arm = state.hosts[2];
  work = mkdtempSync(join(tmpdir(), "proxy-boot-it-"));
  binary = join(work, "kamal");
  const compile = spawnSync(BUN, ["build", "--compile", MAIN, "--outfile", binary], { encoding: "utf8" });
  if (compile.status !== 0) throw new Error(`bun build --compile failed: ${compile.stderr}`);
  await Promise.all([...hosts, arm].map((h) => must(h, CLEAN)));
  const hook = `#!/bin/sh\necho "$0 $KAMAL_HOSTS" >> ${join(work, "hooks.log")}\n`;
  app = await createApp("proxyboot", { hosts, files: { ".kamal/hooks/pre-proxy-reboot": hook, ".kamal/hooks/post-proxy-reboot": hook } });
}, 240_000);

afterAll(async () => {
  if (state) await Promise.all([...(hosts ?? []), ...(arm ? [arm] : [])].map((h) => onHost(state, h, `${CLEAN}; rm -f ${UNAME_WRAPPER}`)));
  app?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

describe("kamal proxy on testbed hosts", () => {
  test("boot loads our image on each host and starts the proxy; a second boot loads nothing", async () => {
    const first = await run(["proxy", "boot"]);
    expect(first.code).toBe(0);
    for (const h of hosts) expect(first.output).toContain(`Loading the kamal-proxy image (amd64, `);
    expect(first.output.match(/Running docker load on/g)?.length).toBe(2);
    const ids = await Promise.all(hosts.map((h) => must(h, "docker image inspect --format '{{.Id}}' basecamp/kamal-proxy:v0.9.2")));
    expect(ids[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ids[1]).toBe(ids[0]);
    imageId = ids[0];
    for (const h of hosts) expect(await status(`http://${h.ip}/`)).toBe(404);

    const second = await run(["proxy", "boot"]);
    expect(second.code).toBe(0);
    expect(second.output).not.toContain("docker load");
    expect(second.output).toContain("docker container start kamal-proxy ||");

    // The container is stopped (not removed): boot starts it again, still without loading.
    await must(hosts[0], "docker container stop kamal-proxy");
    const third = await run(["proxy", "boot"]);
    expect(third.code).toBe(0);
    expect(third.output).not.toContain("docker load");
    expect(await must(hosts[0], "docker inspect kamal-proxy --format '{{.State.Running}}'")).toBe("true");
  }, 240_000);

  test("details, logs, stop, start", async () => {
    const details = await run(["proxy", "details"]);
    expect(details.code).toBe(0);
    for (const h of hosts) expect(details.stdout).toContain(`Proxy Host: ${h.ip}\n`);
    expect(details.stdout).toContain("basecamp/kamal-proxy:v0.9.2");

    const logs = await run(["proxy", "logs", "-n", "5"]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain(`Proxy Host: ${hosts[1].ip}\n`);
    expect(logs.stdout).toContain('"msg":"Server started"');

    expect((await run(["proxy", "stop"])).code).toBe(0);
    for (const h of hosts) expect(await must(h, "docker inspect kamal-proxy --format '{{.State.Running}}'")).toBe("false");
    expect((await run(["proxy", "start"])).code).toBe(0);
    for (const h of hosts) expect(await must(h, "docker inspect kamal-proxy --format '{{.State.Running}}'")).toBe("true");
    expect(await must(hosts[0], "tail -n 2 .kamal/proxyboot-audit.log")).toMatch(/Stopped proxy\n.*Started proxy$/);
  }, 120_000);

  test("boot_config set/get/reset and reboot --rolling: the proxy moves to port 8080 and back, one host at a time", async () => {
    const set = await run(["proxy", "boot_config", "set", "--http-port", "8080", "--log-max-size", "5m"]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("The proxy boot_config command is deprecated - set the config in the deploy YAML at proxy/run instead");
    expect(await must(hosts[0], "cat .kamal/proxy/options")).toBe("--publish 8080:80 --publish 443:443 --log-opt max-size=5m");

    const get = await run(["proxy", "boot_config", "get"]);
    for (const h of hosts) expect(get.stdout).toContain(`Host ${h.ip}: --publish 8080:80 --publish 443:443 --log-opt max-size=5m basecamp/kamal-proxy:v0.9.2\n`);

    const reboot = await run(["proxy", "reboot", "--rolling", "-y"]);
    expect(reboot.code).toBe(0);
    expect(reboot.output).not.toContain("docker load");
    for (const h of hosts) expect(await status(`http://${h.ip}:8080/`)).toBe(404);
    expect(await must(hosts[1], "docker inspect kamal-proxy --format '{{.Image}}'")).toBe(imageId);
    const hooks = readFileSync(join(work, "hooks.log"), "utf8").trim().split("\n").map((l) => l.replace(/^.*\/hooks\//, ""));
    expect(hooks).toEqual([`pre-proxy-reboot ${hosts[0].ip}`, `post-proxy-reboot ${hosts[0].ip}`, `pre-proxy-reboot ${hosts[1].ip}`, `post-proxy-reboot ${hosts[1].ip}`]);

    expect((await run(["proxy", "boot_config", "reset"])).code).toBe(0);
    expect((await onHost(state, hosts[0], "test -e .kamal/proxy/options")).code).toBe(1);
    expect((await run(["proxy", "reboot", "-y"])).code).toBe(0);
    for (const h of hosts) expect(await status(`http://${h.ip}/`)).toBe(404);
  }, 240_000);

  test("remove: container, image and .kamal/proxy gone", async () => {
    const removed = await run(["proxy", "remove"]);
    expect(removed.code).toBe(0);
    for (const h of hosts) {
      expect((await onHost(state, h, "docker container inspect kamal-proxy")).code).not.toBe(0);
      expect((await onHost(state, h, "docker image inspect basecamp/kamal-proxy:v0.9.2")).code).not.toBe(0);
      expect((await onHost(state, h, "test -e .kamal/proxy")).code).toBe(1);
    }
  }, 120_000);

  test("a host whose uname -m says aarch64 never receives the x64 image: one notice line, then docker pulls basecamp/kamal-proxy", async () => {
    await must(arm, `printf '#!/bin/sh\\nif [ "$1" = -m ]; then echo aarch64; else exec /bin/uname "$@"; fi\\n' > ${UNAME_WRAPPER} && chmod +x ${UNAME_WRAPPER}`);
    expect(await must(arm, "uname -m")).toBe("aarch64");
    const armApp = await createApp("proxyarm", { hosts: [arm] });
    try {
      const boot = await kamal(armApp, ["proxy", "boot"], { KAMAL_PROXY_EXECUTABLE: binary });
      // Nothing can be pulled on the testbed, so the pull of the upstream image fails: what matters is what was NOT sent.
      expect(boot.code).toBe(1);
      const notices = boot.output.split("\n").filter((l) => l.includes("no Linux arm64 kamal executable"));
      expect(notices).toEqual([`${arm.ip} (arm64): no Linux arm64 kamal executable to write the kamal-proxy image from (looked at ${binary}); docker pulls basecamp/kamal-proxy:v0.9.2 instead`]);
      expect(boot.output).not.toContain("docker load");
      expect(boot.output).toContain("basecamp/kamal-proxy");
      const images = await must(arm, "docker image ls --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}'");
      expect(images).not.toContain(imageId);
      expect(images).not.toContain("kamal-proxy");
    } finally {
      armApp.cleanup();
    }
  }, 120_000);
});
