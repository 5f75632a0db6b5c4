import { afterAll, expect, test } from "bun:test";
import { HealthCheck, healthCheckURL } from "../../src/proxy/health-check.ts";
import { memoryLogger } from "./support/quiet-logger.ts";

const statuses: number[] = [];
let delay = 0;
const seen: string[] = [];
const server = Bun.serve({
  port: 0, hostname: "127.0.0.1",
  async fetch(req) {
    seen.push(`${req.headers.get("host")} ${req.headers.get("user-agent")}`);
    if (delay) await Bun.sleep(delay);
    return new Response(null, { status: statuses.shift() ?? 200 });
  },
});
afterAll(() => void server.stop(true));
const target = `127.0.0.1:${server.port}`;
const config = (o: Partial<{ timeout: number; host: string }> = {}) => ({ path: "/up", port: 0, interval: 20e6, timeout: o.timeout ?? 1e9, host: o.host ?? "" });

test("URLs", () => {
  expect(healthCheckURL("localhost:3000", { path: "/up", port: 0 })).toBe("http://localhost:3000/up");
  expect(healthCheckURL("localhost:3000", { path: "/health", port: 8080 })).toBe("http://localhost:8080/health");
  expect(healthCheckURL("localhost", { path: "/status", port: 9090 })).toBe("http://localhost:9090/status");
  expect(healthCheckURL("localhost", { path: "up", port: 0 })).toBe("http://localhost/up");
});

test("2xx is healthy; 502, 500 are not; the sequence is reported in order", async () => {
  const { logger, lines } = memoryLogger();
  statuses.push(502, 502, 200);
  const results: boolean[] = [];
  const done = Promise.withResolvers<void>();
  const check = new HealthCheck(target, config(), (ok) => {
    results.push(ok);
    if (results.length === 3) done.resolve();
  }, logger);
  check.start();
  await done.promise;
  check.stop();
  expect(results).toEqual([false, false, true]);
  expect(lines.join("")).toContain("unexpected status (502)");
  expect(seen.at(-1)).toBe(`${target} kamal-proxy`);
});

test("custom Host header, and a slow answer counts as a failure", async () => {
  const { logger, lines } = memoryLogger();
  expect(await new HealthCheck(target, config({ host: "app.internal" }), () => undefined, logger).check()).toBe(true);
  expect(seen.at(-1)).toBe("app.internal kamal-proxy");
  delay = 200;
  const slow = new HealthCheck(target, config({ timeout: 30e6 }), () => undefined, logger);
  slow.start();
  expect(await slow.check()).toBe(false);
  slow.stop();
  delay = 0;
  expect(lines.join("")).toContain("request timed out");
});

test("connection refused is reported like Go's dialer", async () => {
  const { logger, lines } = memoryLogger();
  const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("x") });
  const port = closed.port;
  closed.stop(true);
  const check = new HealthCheck(`127.0.0.1:${port}`, config(), () => undefined, logger);
  check.start();
  expect(await check.check()).toBe(false);
  check.stop();
  expect(lines.join("")).toContain(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
});
