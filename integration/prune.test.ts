// `kamal prune containers|images` on a testbed host: stopped containers beyond the newest N go, images still used by a
// container (and the latest tag) stay, other tagged images of the service go.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp, kamal, onHost, type App } from "./support.ts";
import { run } from "./testbed/proc.ts";
import { requireState } from "./testbed/state.ts";

const state = requireState();
const host = state.hosts[2];
const base = `${state.registry.address}/itprune-base:1`;
const repo = `${state.registry.address}/itprune`;
let app: App & { version: string };

const sh = async (command: string) => {
  const r = await onHost(state, host, command);
  if (r.code !== 0) throw new Error(`${command}: ${r.stderr}`);
  return r.stdout.trim();
};

beforeAll(async () => {
  await run(["docker", "tag", state.images.busybox, base]);
  await run(["docker", "push", base]);
  await sh(`docker pull -q ${base}`);
  // Five service images (distinct ids), containers from v1..v4 stopped in that order, latest = v4, v5 unused.
  for (const v of ["v1", "v2", "v3", "v4", "v5"]) {
    await sh(`printf 'FROM ${base}\\nLABEL service=itprune version=${v}\\n' | DOCKER_BUILDKIT=0 docker build -q -t ${repo}:${v} -`);
  }
  for (const v of ["v1", "v2", "v3", "v4"]) {
    await sh(`docker run --name itprune-web-${v} --label service=itprune --label role=web ${repo}:${v} true`);
  }
  await sh(`docker tag ${repo}:v4 ${repo}:latest`);
  app = await createApp("itprune", { hosts: [host] });
}, 180_000);

afterAll(async () => {
  await onHost(state, host, `docker ps -aq --filter label=service=itprune | xargs -r docker rm -f; docker image ls -q --filter label=service=itprune | xargs -r docker rmi -f; docker rmi -f ${base}`);
  app?.cleanup();
});

describe("prune on the testbed", () => {
  test("containers --retain 2 keeps exactly the 2 newest stopped containers", async () => {
    const r = await kamal(app, ["prune", "containers", "--retain", "2"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect((await sh("docker ps -a --filter label=service=itprune --format '{{.Names}}'")).split("\n").sort()).toEqual(["itprune-web-v3", "itprune-web-v4"]);
    expect(await sh("tail -n 1 .kamal/itprune-audit.log")).toMatch(/\] Pruned containers$/);
  }, 120_000);

  test("images: the ones retained containers use and the latest tag stay, the rest go", async () => {
    const r = await kamal(app, ["prune", "images"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const tags = (await sh(`docker image ls ${repo} --format '{{.Tag}}'`)).split("\n").sort();
    expect(tags).toEqual(["latest", "v3", "v4"]);
  }, 120_000);

  test("--retain 0 is refused", async () => {
    const r = await kamal(app, ["prune", "containers", "--retain", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("  ERROR (ArgumentError): retain must be at least 1\n");
  });
});
