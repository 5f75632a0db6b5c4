// Zero downtime: two clients send requests as fast as they can while 20 deploys switch between fresh upstreams;
// each replaced upstream is killed as soon as its deploy returns. Not one request may fail.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";

/** Each answer takes 5ms, so requests are in flight whenever a deploy switches targets. */
const slowUpstream = (name: string) => startUpstream(async () => {
  await Bun.sleep(5);
  return new Response(name);
});

let proxy: ProxyProcess;
beforeAll(async () => {
  proxy = await ProxyProcess.start();
});
afterAll(async () => {
  await proxy.cleanup();
});

test("20 deploys under load: no failed or non-2xx response", async () => {
  let current: Upstream = slowUpstream("v0");
  await proxy.ok("deploy", "app", "--target", current.target, "--health-check-interval", "100ms");
  let running = true;
  const failures: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  const client = async () => {
    while (running) {
      try {
        const res = await fetch(proxy.url + "/", { headers: { host: "app.test" } });
        const body = await res.text();
        total++;
        if (res.status < 200 || res.status > 299) failures.push(`${res.status} ${body.slice(0, 60)}`);
        else seen.add(body);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const clients = [client(), client()];
  for (let i = 1; i <= 20; i++) {
    const next = slowUpstream(`v${i}`);
    await proxy.ok("deploy", "app", "--target", next.target, "--health-check-interval", "100ms", "--drain-timeout", process.env.ZD_DRAIN ?? "5s");
    current.stop(true);
    current = next;
  }
  await Bun.sleep(100);
  running = false;
  await Promise.all(clients);
  current.stop(true);
  console.log(`zero-downtime: ${total} requests, ${failures.length} failures`);
  expect(failures).toEqual([]);
  expect(total).toBeGreaterThan(50);
  expect(seen.has("v20")).toBe(true);
  expect(seen.size).toBeGreaterThan(10);
}, 120_000);
