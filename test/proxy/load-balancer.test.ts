import { afterAll, expect, test } from "bun:test";
import { buildTargets, LoadBalancer, TargetListError, writerAffinityCookie } from "../../src/proxy/load-balancer.ts";
import { memoryLogger } from "./support/quiet-logger.ts";

const { logger } = memoryLogger();
const healthy = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok") });
const failing = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("no", { status: 500 }) });
afterAll(() => {
  healthy.stop(true);
  failing.stop(true);
});
const hc = { path: "/up", port: 0, interval: 20e6, timeout: 1e9, host: "" };
const lb = (writers: string[], readers: string[] = []) => new LoadBalancer(buildTargets(writers, logger), buildTargets(readers, logger), logger);

test("illegal target names are rejected", () => {
  for (const name of ["", "_", "/"]) expect(() => buildTargets([name], logger)).toThrow(TargetListError);
  expect(() => buildTargets(["_"], logger)).toThrow("_ :invalid host pattern");
  expect(buildTargets(["app:1", "b.c:2"], logger).map((t) => t.name)).toEqual(["app:1", "b.c:2"]);
});

test("waitUntilHealthy: every target must be healthy", async () => {
  const mixed = lb([`127.0.0.1:${healthy.port}`, `127.0.0.1:${failing.port}`]);
  mixed.startHealthChecks(hc);
  expect(await mixed.waitUntilHealthy(150)).toBe(false);
  mixed.stopHealthChecks();
  const good = lb([`127.0.0.1:${healthy.port}`, `localhost:${healthy.port}`]);
  good.startHealthChecks(hc);
  expect(await good.waitUntilHealthy(2000)).toBe(true);
  good.stopHealthChecks();
});

test("round robin over writers; reads to readers unless a fresh writer cookie; none healthy => null", () => {
  const balancer = lb(["wa:1", "wb:1"], ["ra:1"]);
  expect(balancer.claim(false, null)).toBeNull();
  balancer.markAllHealthy();
  const picks = [1, 2, 3, 4].map(() => balancer.claim(false, null)!.name);
  expect(picks).toEqual(["wb:1", "wa:1", "wb:1", "wa:1"]);
  expect(balancer.claim(true, null)!.name).toBe("ra:1");
  expect(balancer.claim(true, `kamal-writer=${Date.now() + 5000}`)!.name).toMatch(/^w/);
  expect(balancer.claim(true, `kamal-writer=${Date.now() - 5000}`)!.name).toBe("ra:1");
  const noReaders = lb(["wx:1"]);
  noReaders.markAllHealthy();
  expect(noReaders.claim(true, null)!.name).toBe("wx:1");
});

test("writer affinity cookie", () => {
  const cookie = writerAffinityCookie(200e6, 1_000_000);
  expect(cookie).toBe(`kamal-writer=1000200; Path=/; Expires=${new Date(1_001_200).toUTCString()}; HttpOnly`);
});
