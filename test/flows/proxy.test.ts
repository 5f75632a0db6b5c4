import { afterEach, describe, expect, test } from "bun:test";
import { Readable } from "node:stream";
import type { ProxyImageResult, ProxyImageSource } from "../../src/build/proxy-images.ts";
import { bootProxy, proxyDetails, proxyLogs, rebootProxy, removeProxy } from "../../src/flows/proxy.ts";
import { proxyBootConfig } from "../../src/flows/proxy-boot-config.ts";
import { DEPLOY_YML, fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());

/** Archives of this test: a few bytes per architecture; counts what was asked for. */
class TestImages implements ProxyImageSource {
  readonly asked: string[] = [];
  constructor(private readonly have: string[] = ["amd64"]) {}
  async forArchitecture(arch: string): Promise<ProxyImageResult> {
    this.asked.push(arch);
    if (!this.have.includes(arch)) return { available: false, reason: `no Linux ${arch} kamal executable to write the kamal-proxy image from` };
    return { available: true, architecture: arch, imageId: `sha256:${arch}`, tags: ["basecamp/kamal-proxy:v0.9.2"], size: 5e6, open: () => Readable.from([Buffer.from(`archive-${arch}`)]) };
  }
  async close(): Promise<void> {}
}

const RUN = "docker container start kamal-proxy || echo $(cat .kamal/proxy/options 2> /dev/null || echo '--publish 80:80 --publish 443:443 --log-opt max-size=10m') " +
  "$(cat .kamal/proxy/image 2> /dev/null || echo basecamp/kamal-proxy):$(cat .kamal/proxy/image_version 2> /dev/null || echo v0.9.2) " +
  "$(cat .kamal/proxy/run_command 2> /dev/null || echo '') | xargs docker run --name kamal-proxy --network kamal --detach --restart unless-stopped " +
  "--volume kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy --volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config";
const VERSION = "docker inspect kamal-proxy --format '{{.Config.Image}}' | awk -F: '{print $NF}'";
const IMAGE = "echo $(cat .kamal/proxy/image 2> /dev/null || echo basecamp/kamal-proxy):$(cat .kamal/proxy/image_version 2> /dev/null || echo v0.9.2)";
const INSPECT = "docker image inspect --format '{{.Id}}' basecamp/kamal-proxy:v0.9.2";
const LOGIN = "docker login registry.example.com -u user --password-stdin";
/** The proxy lines (lock and audit lines left out). */
const proxyLines = (host: string) => f.runner.lines(host).filter((l) => !l.includes("lock-app") && !l.startsWith("mkdir -p .kamal &&") && l !== "mkdir -p .kamal");

function freshHosts(): void {
  f.runner.respond(IMAGE, { stdout: "basecamp/kamal-proxy:v0.9.2\n" });
  f.runner.respond("uname -m", { stdout: "x86_64\n" });
  f.runner.respond(INSPECT, { code: 1, stderr: "Error: No such image: basecamp/kamal-proxy:v0.9.2" });
}

describe("bootProxy", () => {
  test("fresh hosts: network everywhere; on proxy hosts the image streamed to docker load, then start || run", async () => {
    f = fixture();
    freshHosts();
    const images = new TestImages();
    await bootProxy(f.ctx, { images });
    for (const host of ["1.1.1.1", "1.1.1.2"]) {
      expect(proxyLines(host)).toEqual(["docker network create kamal", LOGIN, VERSION, "mkdir -p .kamal/proxy/apps-config", IMAGE, "uname -m", INSPECT, "docker load", RUN]);
      expect(f.runner.commands.find((c) => c.host === host && c.command === "docker load")?.stdin).toBe("archive-amd64");
    }
    expect(proxyLines("1.1.1.3")).toEqual(["docker network create kamal"]);
    expect(f.out.text).toContain("Loading the kamal-proxy image (amd64, 5 MB) on 1.1.1.1...");
  });

  test("an existing network is fine; another network error is not", async () => {
    f = fixture();
    f.runner.respond("docker network create kamal", { code: 1, stderr: "Error response from daemon: network with name kamal already exists" });
    f.runner.respond(VERSION, { stdout: "v0.9.2\n" });
    await bootProxy(f.ctx, { images: new TestImages() });
    f.cleanup();
    f = fixture();
    f.runner.respond("docker network create kamal", { code: 1, stderr: "Cannot connect to the Docker daemon" }, "1.1.1.3");
    const err = await bootProxy(f.ctx, { images: new TestImages() }).catch((e) => e);
    expect(err.message).toContain("1.1.1.3");
  });

  test("a running proxy: no image work, just start || run", async () => {
    f = fixture();
    f.runner.respond(VERSION, { stdout: "v0.9.2\n" });
    const images = new TestImages();
    await bootProxy(f.ctx, { images });
    expect(proxyLines("1.1.1.1")).toEqual(["docker network create kamal", LOGIN, VERSION, "mkdir -p .kamal/proxy/apps-config", RUN]);
    expect(images.asked).toEqual([]);
  });

  test("the host already has this exact image: not loaded again", async () => {
    f = fixture();
    freshHosts();
    f.runner.respond(INSPECT, { stdout: "sha256:amd64\n" });
    await bootProxy(f.ctx, { images: new TestImages() });
    expect(f.runner.lines().filter((l) => l.endsWith("docker load"))).toEqual([]);
  });

  test("an arm64 host gets the arm64 image, never the amd64 one; none at all when there is no arm64 executable", async () => {
    f = fixture();
    freshHosts();
    f.runner.respond("uname -m", { stdout: "aarch64\n" }, "1.1.1.2");
    await bootProxy(f.ctx, { images: new TestImages(["amd64", "arm64"]) });
    expect(f.runner.commands.find((c) => c.host === "1.1.1.2" && c.command === "docker load")?.stdin).toBe("archive-arm64");
    f.cleanup();

    f = fixture();
    freshHosts();
    f.runner.respond("uname -m", { stdout: "aarch64\n" }, "1.1.1.2");
    await bootProxy(f.ctx, { images: new TestImages(["amd64"]) });
    expect(proxyLines("1.1.1.2")).toEqual(["docker network create kamal", LOGIN, VERSION, "mkdir -p .kamal/proxy/apps-config", IMAGE, "uname -m", RUN]);
    expect(f.out.text).toContain("1.1.1.2 (arm64): no Linux arm64 kamal executable to write the kamal-proxy image from; docker pulls basecamp/kamal-proxy:v0.9.2 instead\n");
  });

  test("boot_config naming another image, or proxy.run: nothing loaded, docker run pulls it", async () => {
    f = fixture();
    f.runner.respond(IMAGE, { stdout: "ghcr.io/me/kamal-proxy:v0.9.3\n" });
    const images = new TestImages();
    await bootProxy(f.ctx, { images });
    expect(images.asked).toEqual([]);
    f.cleanup();

    f = fixture({ files: { "config/deploy.yml": `${DEPLOY_YML}proxy:\n  run:\n    http_port: 8080\n` } });
    await bootProxy(f.ctx, { images });
    expect(images.asked).toEqual([]);
    expect(proxyLines("1.1.1.1").at(-1)).toBe("docker container start kamal-proxy || docker run --name kamal-proxy --network kamal --detach --restart unless-stopped " +
      "--volume kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy --volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config " +
      "--publish 8080:80 --publish 443:443 --log-opt max-size=10m basecamp/kamal-proxy:v0.9.2 kamal-proxy run");
  });

  test("a proxy older than v0.9.2 stops the boot with Kamal's message", async () => {
    f = fixture();
    f.runner.respond(VERSION, { stdout: "v0.8.7\n" });
    const err = await bootProxy(f.ctx, { images: new TestImages() }).catch((e) => e);
    expect(err.message).toContain("kamal-proxy version v0.8.7 is too old, run `kamal proxy reboot` in order to update to at least v0.9.2");
  });
});

describe("kamal proxy …", () => {
  test("reboot --rolling: one host at a time, image in place before the old proxy stops", async () => {
    f = fixture();
    freshHosts();
    await rebootProxy(f.ctx, { rolling: true, images: new TestImages() });
    const lines = f.runner.lines().filter((l) => !l.includes("lock-app") && !l.includes("audit.log") && !l.endsWith("mkdir -p .kamal"));
    const host1 = [LOGIN, IMAGE, "uname -m", INSPECT, "docker load", "docker container stop kamal-proxy",
      "docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy", "mkdir -p .kamal/proxy/apps-config", RUN.replace("docker container start kamal-proxy || ", "")];
    expect(lines).toEqual([...host1.map((l) => `1.1.1.1: ${l}`), ...host1.map((l) => `1.1.1.2: ${l}`)]);
    expect(f.runner.lines("1.1.1.1").some((l) => l.includes("Rebooted proxy"))).toBe(true);
  });

  test("boot_config set writes only non-defaults, get prints each host's line, reset removes the files", async () => {
    f = fixture();
    await proxyBootConfig(f.ctx, "set", { httpPort: 8080, imageVersion: "v0.9.3" });
    expect(f.runner.uploads.filter((u) => u.host === "1.1.1.1").map((u) => [u.path, u.content])).toEqual([
      [".kamal/proxy/options", "--publish 8080:80 --publish 443:443 --log-opt max-size=10m"],
      [".kamal/proxy/image_version", "v0.9.3"],
    ]);
    expect(proxyLines("1.1.1.1")).toEqual(["mkdir -p .kamal/proxy", "rm .kamal/proxy/image", "rm .kamal/proxy/run_command"]);
    expect(f.runner.lines("1.1.1.3")).toEqual([]);
    expect(f.out.text).toStartWith("The proxy boot_config command is deprecated - set the config in the deploy YAML at proxy/run instead\n");

    f.runner.respond("echo $(cat .kamal/proxy/options", { stdout: "--publish 8080:80 basecamp/kamal-proxy:v0.9.3\n" });
    await proxyBootConfig(f.ctx, "get");
    expect(f.raw.text).toContain("Host 1.1.1.1: --publish 8080:80 basecamp/kamal-proxy:v0.9.3\nHost 1.1.1.2: --publish 8080:80 basecamp/kamal-proxy:v0.9.3\n");
    await proxyBootConfig(f.ctx, "reset");
    expect(proxyLines("1.1.1.2").slice(-4)).toEqual(["rm .kamal/proxy/options", "rm .kamal/proxy/image", "rm .kamal/proxy/image_version", "rm .kamal/proxy/run_command"]);
    expect((await proxyBootConfig(f.ctx, "wat").catch((e) => e)).message).toBe("Unknown boot_config subcommand wat");
  });

  test("details and logs: per proxy host, 100 lines by default", async () => {
    f = fixture();
    f.runner.respond("docker ps", (_c, host) => ({ stdout: `CONTAINER ID on ${host}\n` }));
    await proxyDetails(f.ctx);
    expect(f.out.text).toContain("Proxy Host: 1.1.1.2\nCONTAINER ID on 1.1.1.2\n");
    await proxyLogs(f.ctx, {});
    await proxyLogs(f.ctx, { grep: "GET", skipTimestamps: true });
    expect(f.runner.lines("1.1.1.1").slice(-2)).toEqual(["docker logs kamal-proxy --tail 100 --timestamps 2>&1", "docker logs kamal-proxy 2>&1 | grep GET"]);
  });

  test("remove keeps the proxy while other apps are installed, unless --force", async () => {
    f = fixture();
    f.runner.respond("ls .kamal/apps | wc -l", { stdout: "1\n" }, "1.1.1.2");
    await removeProxy(f.ctx);
    expect(f.out.text).toContain("Not removing the proxy, as other apps are installed, ignore this check with kamal proxy remove --force");
    expect(f.runner.lines().filter((l) => l.includes("prune"))).toEqual([]);
    await removeProxy(f.ctx, { force: true });
    expect(f.out.text).toContain("Forcing, so removing the proxy, even though other apps are installed");
    expect(proxyLines("1.1.1.1").slice(-4)).toEqual(["docker container stop kamal-proxy",
      "docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy",
      "docker image prune --all --force --filter label=org.opencontainers.image.title=kamal-proxy", "rm -r .kamal/proxy"]);
  });
});
