// Takeover and failure: a host laid out by Ruby Kamal (its exact `docker run` line, labels, env file, kamal-proxy
// deploy, latest tag) is deployed over and rolled back; a host killed mid-deploy fails only itself, the lock is
// released, and once it is back the same deploy converges.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp, kamal, onHost, restartHost, type KamalResult } from "./support.ts";
import { ensureProxy, httpGet, pushAppImage, removeProxy, removeService } from "./deploy-support.ts";
import { run } from "./testbed/proc.ts";
import { requireState, type TestbedHost, type TestbedState } from "./testbed/state.ts";

let state: TestbedState;

function yml(service: string, hosts: TestbedHost[]): string {
  return [
    `service: ${service}`, `image: ${service}`,
    "servers:", "  web:", ...hosts.map((h) => `    - ${h.ip}`),
    "proxy:", `  host: ${service}.example.test`, "  app_port: 80", "  healthcheck:", "    path: /up", "    interval: 1",
    "registry:", `  server: ${state.registry.address}`, "  username: testbed", "  password: testbed",
    "builder:", "  arch: amd64",
    "ssh:", "  user: root", `  keys: [ ${state.sshKey} ]`, "  keys_only: true", "  config: false",
    "deploy_timeout: 15", "drain_timeout: 2", "stop_timeout: 1", "",
  ].join("\n");
}

const ok = (r: KamalResult): KamalResult => {
  if (r.code !== 0) throw new Error(`kamal exited ${r.code}:\n${r.output}`);
  return r;
};
const mustOnHost = async (h: TestbedHost, line: string): Promise<string> => {
  const r = await onHost(state, h, line);
  if (r.code !== 0) throw new Error(`${h.name}: ${line}: ${r.stderr}`);
  return r.stdout;
};

beforeAll(async () => {
  state = requireState();
  await removeService(state, state.hosts, "ittake");
  await removeService(state, state.hosts, "itkill");
  await ensureProxy(state, state.hosts);
}, 300_000);

afterAll(async () => {
  if (state) {
    for (const s of ["ittake", "itkill"]) await removeService(state, state.hosts, s);
    await removeProxy(state, state.hosts);
  }
}, 120_000);

describe("takeover of a host deployed by Ruby Kamal", () => {
  test("deployed over, then rolled back to Kamal's version", async () => {
    const host = state.hosts[0]!;
    const image = pushAppImage(state, "ittake", "kamalv1");
    pushAppImage(state, "ittake", "oursv2");
    // What Kamal 2 leaves on a host after `kamal deploy` (reference §3.2-§3.7), typed as Kamal renders it.
    await mustOnHost(host, `mkdir -p .kamal/apps/ittake/env/roles && printf '\\n' > .kamal/apps/ittake/env/roles/web.env && chmod 600 .kamal/apps/ittake/env/roles/web.env && docker pull -q ${image}`);
    await mustOnHost(host, `docker run --detach --restart unless-stopped --name ittake-web-kamalv1 --network kamal --hostname ${host.ip}-0123456789ab --env KAMAL_CONTAINER_NAME="ittake-web-kamalv1" --env KAMAL_VERSION="kamalv1" --env KAMAL_HOST="${host.ip}" --env-file .kamal/apps/ittake/env/roles/web.env --log-opt max-size="10m" --label service="ittake" --label role="web" --label destination ${image}`);
    const id = (await mustOnHost(host, "docker container ls --all --filter 'name=^ittake-web-kamalv1$' --quiet")).trim();
    await mustOnHost(host, `docker exec kamal-proxy kamal-proxy deploy ittake-web --target="${id}:80" --host="ittake.example.test" --deploy-timeout="30s" --drain-timeout="30s" --buffer-requests --buffer-responses --log-request-header="Cache-Control" --log-request-header="Last-Modified" --log-request-header="User-Agent"`);
    await mustOnHost(host, `docker tag ${image} ${state.registry.address}/ittake:latest`);
    expect((await httpGet(host, "/", "ittake.example.test")).body).toBe("kamalv1");

    const app = await createApp("ittake", { hosts: [host], files: { "config/deploy.yml": yml("ittake", [host]) } });
    try {
      expect(ok(await kamal(app, ["app", "version"])).stdout).toContain(`App Host: ${host.ip}\nkamalv1\n`);
      ok(await kamal(app, ["deploy", "-P", "--version", "oursv2"]));
      expect((await httpGet(host, "/", "ittake.example.test")).body).toBe("oursv2");
      expect((await mustOnHost(host, "docker ps --filter label=service=ittake --format '{{.Names}}'")).trim()).toBe("ittake-web-oursv2");
      ok(await kamal(app, ["rollback", "kamalv1"]));
      expect((await httpGet(host, "/", "ittake.example.test")).body).toBe("kamalv1");
      expect((await mustOnHost(host, "docker ps --filter label=service=ittake --format '{{.Names}}'")).trim()).toBe("ittake-web-kamalv1");
    } finally {
      app.cleanup();
    }
  }, 300_000);
});

describe("a host killed mid-deploy", () => {
  test("the others finish, the error names it, the lock is released; after it is back the same deploy converges", async () => {
    const victim = state.hosts[2]!;
    const app = await createApp("itkill", { files: { "config/deploy.yml": yml("itkill", state.hosts) } });
    try {
      pushAppImage(state, "itkill", "k1");
      pushAppImage(state, "itkill", "k2");
      ok(await kamal(app, ["deploy", "-P", "--version", "k1"]));
      // Kill the host once the deploy has started booting containers.
      const deploying = kamal(app, ["deploy", "-P", "--version", "k2"]);
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && (await onHost(state, victim, "docker ps --filter name=^itkill-web-k2$ --quiet")).stdout.trim() === "") await Bun.sleep(200);
      await run(["docker", "kill", victim.container]);
      const r = await deploying;
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(victim.ip);
      for (const h of state.hosts.slice(0, 2)) expect((await httpGet(h, "/", "itkill.example.test")).body).toBe("k2");
      expect((await kamal(app, ["lock", "status"])).stdout).toBe("There is no deploy lock\n");

      await restartHost(state, victim);
      ok(await kamal(app, ["deploy", "-P", "--version", "k2"]));
      for (const h of state.hosts) expect((await httpGet(h, "/", "itkill.example.test")).body).toBe("k2");
    } finally {
      app.cleanup();
    }
  }, 400_000);
});
