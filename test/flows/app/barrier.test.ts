import { describe, expect, test } from "bun:test";
import { Barrier, HealthcheckError } from "../../../src/flows/app/barrier.ts";

describe("Barrier", () => {
  test("opens once: only the first caller wins, waiters go on", async () => {
    const b = new Barrier();
    const waiting = b.wait();
    expect(b.open()).toBe(true);
    expect(b.open()).toBe(false);
    expect(b.close()).toBe(false);
    await waiting;
    expect(await b.outcome).toBe(true);
  });

  test("closed: waiters fail with Halted at barrier, a later open changes nothing", async () => {
    const b = new Barrier();
    const waiting = b.wait().catch((e) => e);
    expect(b.close()).toBe(true);
    expect(b.open()).toBe(false);
    const err = await waiting;
    expect(err).toBeInstanceOf(HealthcheckError);
    expect(err.message).toBe("Halted at barrier");
  });
});
