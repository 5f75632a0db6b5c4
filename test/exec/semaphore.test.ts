import { expect, test } from "bun:test";
import { dnsBackoffSeconds } from "../../src/exec/index.ts";
import { Semaphore } from "../../src/exec/ssh/semaphore.ts";

test("Semaphore never lets more than N run at once, and runs everything", async () => {
  const sem = new Semaphore(3);
  let running = 0;
  let peak = 0;
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sem.use(async () => {
    running++; peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 2 + (i % 3)));
    running--;
    if (i === 5) throw new Error("x");
    return i;
  }).catch(() => -1)));
  expect(peak).toBe(3);
  expect(results.filter((r) => r >= 0).length).toBe(19);
});

test("DNS backoff: 0.1 * 2^(n-1) s capped at 2 s, plus up to 0.1 s jitter", () => {
  expect(dnsBackoffSeconds(1, () => 0)).toBeCloseTo(0.1);
  expect(dnsBackoffSeconds(3, () => 0)).toBeCloseTo(0.4);
  expect(dnsBackoffSeconds(10, () => 0)).toBe(2);
  expect(dnsBackoffSeconds(10, () => 0.999)).toBeCloseTo(2.0999);
});
