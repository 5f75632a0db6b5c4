import { describe, expect, test } from "bun:test";
import { ProxyRun } from "../../src/config/proxy.ts";
import { renderCmd } from "../../src/shell/index.ts";
import * as proxy from "../../src/commands/proxy.ts";

const paths: proxy.ProxyPaths = {
  runDirectory: ".kamal",
  appsDirectory: ".kamal/apps",
  proxyDirectory: ".kamal/proxy",
  proxyAppsDirectory: ".kamal/proxy/apps-config",
  proxyOptionsFile: ".kamal/proxy/options",
  proxyImageFile: ".kamal/proxy/image",
  proxyImageVersionFile: ".kamal/proxy/image_version",
  proxyRunCommandFile: ".kamal/proxy/run_command",
};
const HEAD = "docker run --name kamal-proxy --network kamal --detach --restart unless-stopped --volume kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy --volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config";
const BOOT_CONFIG = "echo $(cat .kamal/proxy/options 2> /dev/null || echo '--publish 80:80 --publish 443:443 --log-opt max-size=10m') " +
  "$(cat .kamal/proxy/image 2> /dev/null || echo basecamp/kamal-proxy):$(cat .kamal/proxy/image_version 2> /dev/null || echo v0.9.2) " +
  "$(cat .kamal/proxy/run_command 2> /dev/null || echo '')";

describe("kamal-proxy container commands", () => {
  test("network", () => {
    expect(renderCmd(proxy.createProxyNetwork())).toBe("docker network create kamal");
    expect(renderCmd(proxy.removeProxyNetwork())).toBe("docker network rm kamal");
    expect(renderCmd(proxy.removeProxyConfigVolume())).toBe("docker volume rm kamal-proxy-config");
  });

  test("boot line from the boot config files (no proxy.run)", () => {
    expect(renderCmd(proxy.bootConfig(paths))).toBe(BOOT_CONFIG);
    expect(renderCmd(proxy.runProxy(paths, undefined))).toBe(`${BOOT_CONFIG} | xargs ${HEAD}`);
    expect(renderCmd(proxy.startOrRunProxy(paths, undefined))).toBe(`docker container start kamal-proxy || ${BOOT_CONFIG} | xargs ${HEAD}`);
  });

  test("the image the boot config files name", () => {
    expect(renderCmd(proxy.bootConfigImage(paths)))
      .toBe("echo $(cat .kamal/proxy/image 2> /dev/null || echo basecamp/kamal-proxy):$(cat .kamal/proxy/image_version 2> /dev/null || echo v0.9.2)");
  });

  test("boot line with proxy.run defaults", () => {
    expect(renderCmd(proxy.runProxy(paths, new ProxyRun({ http_port: 80 }))))
      .toBe(`${HEAD} --publish 80:80 --publish 443:443 --log-opt max-size=10m basecamp/kamal-proxy:v0.9.2 kamal-proxy run`);
  });

  test("boot line with every proxy.run key", () => {
    const run = new ProxyRun({
      http_port: 8080, https_port: 8443, bind_ips: ["10.0.0.1", "::1"], log_max_size: "20m", metrics_port: 9090, debug: true,
      registry: "registry:4443", repository: "me/proxy", version: "v0.9.3", options: { memory: "512m", "cap-add": ["NET_ADMIN", "SYS_TIME"], init: true },
    });
    expect(renderCmd(proxy.runProxy(paths, run))).toBe(`${HEAD} --publish 10.0.0.1:8080:80 --publish 10.0.0.1:8443:443 ` +
      "--publish '[::1]:8080:80' --publish '[::1]:8443:443' --log-opt max-size=20m --expose=9090 --memory 512m --cap-add NET_ADMIN " +
      "--cap-add SYS_TIME --init registry:4443/me/proxy:v0.9.3 kamal-proxy run --debug --metrics-port 9090");
  });

  test("publish: false drops the ports", () => {
    expect(renderCmd(proxy.runProxy(paths, new ProxyRun({ publish: false }))))
      .toBe(`${HEAD} --log-opt max-size=10m basecamp/kamal-proxy:v0.9.2 kamal-proxy run`);
  });

  test("version check", () => {
    expect(renderCmd(proxy.proxyVersion())).toBe("docker inspect kamal-proxy --format '{{.Config.Image}}' | awk -F: '{print $NF}'");
    expect(proxy.olderVersion("v0.8.7", "v0.9.2")).toBe(true);
    expect(proxy.olderVersion("v0.9.2", "v0.9.2")).toBe(false);
    expect(proxy.olderVersion("v0.10.0", "v0.9.2")).toBe(false);
    expect(proxy.olderVersion("0.9.1", "v0.9.2")).toBe(true);
    expect(proxy.olderVersion("v0.9.2.rc1", "v0.9.2")).toBe(true);
    expect(proxy.olderVersion("v1", "v0.9.2")).toBe(false);
  });

  test("start, stop, details, remove", () => {
    expect(renderCmd(proxy.startProxy())).toBe("docker container start kamal-proxy");
    expect(renderCmd(proxy.stopProxy())).toBe("docker container stop kamal-proxy");
    expect(renderCmd(proxy.proxyDetails())).toBe("docker ps --filter 'name=^kamal-proxy$'");
    expect(renderCmd(proxy.removeProxyContainer())).toBe("docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy");
    expect(renderCmd(proxy.removeProxyImage())).toBe("docker image prune --all --force --filter label=org.opencontainers.image.title=kamal-proxy");
    expect(renderCmd(proxy.removeProxyDirectory(paths))).toBe("rm -r .kamal/proxy");
    expect(renderCmd(proxy.ensureProxyDirectory(paths))).toBe("mkdir -p .kamal/proxy");
    expect(renderCmd(proxy.ensureAppsConfigDirectory(paths))).toBe("mkdir -p .kamal/proxy/apps-config");
    expect(renderCmd(proxy.removeBootConfigFile(paths.proxyImageFile))).toBe("rm .kamal/proxy/image");
    expect(renderCmd(proxy.installedAppCount(paths))).toBe("ls .kamal/apps | wc -l");
  });

  test("logs", () => {
    expect(renderCmd(proxy.proxyLogs({ lines: 100 }))).toBe("docker logs kamal-proxy --tail 100 --timestamps 2>&1");
    expect(renderCmd(proxy.proxyLogs({ since: "5m", grep: "GET /up", timestamps: false })))
      .toBe("docker logs kamal-proxy --since 5m 2>&1 | grep 'GET /up'");
    expect(renderCmd(proxy.proxyLogs({ grep: "x", grepOptions: "-i" }))).toBe("docker logs kamal-proxy --timestamps 2>&1 | grep x -i");
    expect(renderCmd(proxy.followProxyLogs({ grep: "abc" }))).toBe("docker logs kamal-proxy --timestamps --tail 10 --follow 2>&1 | grep abc");
    expect(renderCmd(proxy.followProxyLogs({ timestamps: false }))).toBe("docker logs kamal-proxy --tail 10 --follow 2>&1");
  });

  test("image on the host", () => {
    expect(renderCmd(proxy.hostMachine())).toBe("uname -m");
    expect(renderCmd(proxy.imageIdOf("basecamp/kamal-proxy:v0.9.2"))).toBe("docker image inspect --format '{{.Id}}' basecamp/kamal-proxy:v0.9.2");
    expect(renderCmd(proxy.loadImage())).toBe("docker load");
    expect(renderCmd(proxy.pullImage("basecamp/kamal-proxy:v0.9.2"))).toBe("docker pull basecamp/kamal-proxy:v0.9.2");
  });
});

describe("boot_config set: the files Kamal writes", () => {
  test("defaults write nothing (every file removed)", () => {
    expect(proxy.bootConfigFiles({})).toEqual({ options: undefined, image: undefined, imageVersion: undefined, runCommand: undefined });
  });

  test("every option", () => {
    expect(proxy.bootConfigFiles({
      publishHostIps: ["127.0.0.1", "::1"], httpPort: 8080, httpsPort: 8443, logMaxSize: "100m", registry: "ghcr.io",
      repository: "me", imageVersion: "v0.9.3", metricsPort: 9090, debug: true, dockerOptions: ["sysctl=net.ipv4.ip_local_port_range=10000 60999"],
    })).toEqual({
      options: "--publish 127.0.0.1:8080:80 --publish 127.0.0.1:8443:443 --publish [::1]:8080:80 --publish [::1]:8443:443 " +
        "--log-opt max-size=100m --expose=9090 --sysctl=net.ipv4.ip_local_port_range=10000 60999",
      image: "ghcr.io/me/kamal-proxy",
      imageVersion: "v0.9.3",
      runCommand: 'kamal-proxy run --debug --metrics-port "9090"',
    });
  });

  test("--no-publish", () => {
    expect(proxy.bootConfigFiles({ publish: false }).options).toBe("--log-opt max-size=10m");
  });

  test("an invalid publish IP is refused with Kamal's message", () => {
    expect(() => proxy.bootConfigFiles({ publishHostIps: ["example.com"] })).toThrow("Invalid publish IP address: example.com");
  });

  test("paths", () => {
    expect(proxy.bootConfigPaths(paths)).toEqual({
      options: ".kamal/proxy/options", image: ".kamal/proxy/image", imageVersion: ".kamal/proxy/image_version", runCommand: ".kamal/proxy/run_command",
    });
  });
});
