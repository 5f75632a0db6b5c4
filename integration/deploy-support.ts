// Helpers for the deploy integration tests: app images built here and pushed to the testbed registry (classic
// builder, busybox base, no pulls), kamal-proxy made available on hosts, HTTP through a host's proxy.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeProxyImage, PROXY_COMPAT_VERSION } from "../src/build/proxy-image.ts";
import { onHost } from "./support.ts";
import { REPO_ROOT, TESTBED_DIR, type TestbedHost, type TestbedState } from "./testbed/state.ts";

function local(argv: string[], env: Record<string, string | undefined> = process.env): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * Build `<registry>/<service>:<version>` from the testbed's busybox image and push it. A healthy image answers
 * GET / with its version and GET /up with 200; a broken one has no /up (kamal-proxy's health check never passes).
 */
export function pushAppImage(state: TestbedState, service: string, version: string, opts: { healthy?: boolean; body?: string } = {}): string {
  const image = `${state.registry.address}/${service}:${version}`;
  const dir = mkdtempSync(join(tmpdir(), "kamal-it-image-"));
  try {
    const up = opts.healthy === false ? "" : " && echo ok > /www/up/index.html";
    writeFileSync(join(dir, "Dockerfile"), [
      `FROM ${state.images.busybox}`,
      `LABEL service="${service}"`,
      `RUN mkdir -p /www/up && echo ${opts.body ?? version} > /www/index.html${up}`,
      `CMD ["httpd", "-f", "-p", "80", "-h", "/www"]`,
      "",
    ].join("\n"));
    local(["docker", "build", "-q", "-t", image, dir], { ...process.env, DOCKER_BUILDKIT: "0" });
    local(["docker", "push", "-q", image]);
    local(["docker", "image", "rm", image]);
    return image;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Our kamal-proxy image archive, written once per testbed from a compiled executable. */
async function proxyArchive(): Promise<string> {
  const dir = join(TESTBED_DIR, "deploy-it");
  const archive = join(dir, "kamal-proxy.tar");
  if (existsSync(archive)) return archive;
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, "kamal");
  local([join(REPO_ROOT, "node_modules/.bin/bun"), "build", "--compile", join(REPO_ROOT, "src/main.ts"), "--outfile", binary]);
  await writeProxyImage({ binaryPath: binary, outputPath: archive });
  return archive;
}

/** kamal-proxy container running on these hosts (image loaded where missing; Kamal's boot line). */
export async function ensureProxy(state: TestbedState, hosts: TestbedHost[]): Promise<void> {
  const image = `basecamp/kamal-proxy:${PROXY_COMPAT_VERSION}`;
  const archive = await proxyArchive();
  await Promise.all(hosts.map(async (h) => {
    if ((await onHost(state, h, `docker image inspect ${image} >/dev/null 2>&1`)).code !== 0) {
      const r = spawnSync("sh", ["-c", `ssh -i ${state.sshKey} -o UserKnownHostsFile=${state.knownHosts} -o BatchMode=yes root@${h.ip} docker load < ${archive}`], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`docker load on ${h.name}: ${r.stderr}`);
    }
    await onHost(state, h, "docker network create kamal >/dev/null 2>&1; mkdir -p .kamal/proxy/apps-config; docker container start kamal-proxy >/dev/null 2>&1 || " +
      "docker run --name kamal-proxy --network kamal --detach --restart unless-stopped --volume kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy " +
      `--volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config --publish 80:80 --publish 443:443 --log-opt max-size=10m ${image}`);
  }));
}

/** GET through a host's kamal-proxy: status and trimmed body. */
export async function httpGet(host: TestbedHost, path = "/", hostHeader?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://${host.ip}${path}`, { headers: hostHeader ? { host: hostHeader } : {}, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.text()).trim() };
}

/** Remove everything a test app left on the hosts (containers, images, files), by its service name. */
export async function removeService(state: TestbedState, hosts: TestbedHost[], service: string): Promise<void> {
  await Promise.all(hosts.map((h) => onHost(state, h,
    `docker ps -aq --filter label=service=${service} | xargs -r docker rm -f >/dev/null; ` +
    `docker image ls -q --filter label=service=${service} | xargs -r docker rmi -f >/dev/null; ` +
    `docker exec kamal-proxy kamal-proxy remove ${service}-web >/dev/null 2>&1; ` +
    `rm -rf .kamal/apps/${service} .kamal/lock-${service} .kamal/${service}-audit.log .kamal/proxy/apps-config/${service}; ` +
    "rmdir .kamal/apps 2>/dev/null; true")));
}

/** Remove kamal-proxy from the hosts as ensureProxy or `kamal setup` left it (container, image, volume, files, network),
 *  and log the hosts out of the testbed registry. */
export async function removeProxy(state: TestbedState, hosts: TestbedHost[]): Promise<void> {
  await Promise.all(hosts.map((h) => onHost(state, h,
    `docker rm -f kamal-proxy >/dev/null 2>&1; docker image rm -f basecamp/kamal-proxy:${PROXY_COMPAT_VERSION} kamal-ts/kamal-proxy:${PROXY_COMPAT_VERSION} >/dev/null 2>&1; ` +
    "docker volume rm kamal-proxy-config >/dev/null 2>&1; docker network rm kamal >/dev/null 2>&1; rm -rf .kamal/proxy; rmdir .kamal 2>/dev/null; " +
    `docker logout ${state.registry.address} >/dev/null 2>&1; true`)));
}
