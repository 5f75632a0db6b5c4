import { expect, test } from "bun:test";
import { InflightTracker } from "../../src/proxy/inflight.ts";
import { Target, validateTargetName } from "../../src/proxy/target.ts";
import { memoryLogger } from "./support/quiet-logger.ts";

test("target names: host[:port]", () => {
  expect(validateTargetName("a7535f905149:80")).toBeNull();
  expect(validateTargetName("app-web.internal")).toBeNull();
  expect(validateTargetName("/")).toBe("/ :invalid host pattern");
});

test("drain with nothing in flight returns at once and restores the state", async () => {
  const target = new Target("t:1", memoryLogger().logger);
  target.state = "healthy";
  const started = Date.now();
  await target.drain(5000);
  expect(Date.now() - started).toBeLessThan(50);
  expect(target.state).toBe("healthy");
});

test("drain waits for requests that finish in time, cancels the rest, closes connections at once", async () => {
  const tracker = new InflightTracker();
  const quick = tracker.begin();
  const stuck = tracker.begin();
  let closed = false;
  tracker.addConnection(() => (closed = true));
  setTimeout(() => tracker.end(quick), 20);
  const draining = tracker.drain(100);
  expect(closed).toBe(true);
  await draining;
  expect(quick.controller.signal.aborted).toBe(false);
  expect(stuck.cancelledByDrain).toBe(true);
  expect(stuck.controller.signal.aborted).toBe(true);
});

test("a client that goes away aborts its upstream call", () => {
  const tracker = new InflightTracker();
  const client = new AbortController();
  const request = tracker.begin(client.signal);
  client.abort();
  expect(request.controller.signal.aborted).toBe(true);
});
