import { expect, test } from "bun:test";
import { cookieValue, fnv1a32, RolloutController } from "../../src/proxy/rollout-controller.ts";

const cookie = (v: string) => `other=1; kamal-rollout=${v}`;

test("allowlist", () => {
  const c = new RolloutController(0, ["1", "2"]);
  expect(c.matches(cookie("1"))).toBe(true);
  expect(c.matches(cookie("2"))).toBe(true);
  expect(c.matches(cookie("3"))).toBe(false);
  expect(c.matches(null)).toBe(false);
  expect(c.matches("kamal-rollout=")).toBe(false);
});

test("percentage split over FNV-1a 32", () => {
  expect(fnv1a32("")).toBe(0x811c9dc5);
  expect(fnv1a32("a")).toBe(0xe40c292c);
  const c = new RolloutController(60, []);
  let hits = 0;
  for (let i = 0; i < 1000; i++) if (c.matches(cookie(String(i).padStart(5, "0")))) hits++;
  expect(Math.abs(hits - 600)).toBeLessThanOrEqual(20);
  const both = new RolloutController(10, ["always"]);
  expect(both.matches(cookie("always"))).toBe(true);
});

test("state shape and cookie parsing", () => {
  expect(new RolloutController(20, ["first"]).toJSON()).toEqual({ percentage: 20, percentage_split_point: 858993459, allowlist: ["first"] });
  expect(RolloutController.fromState({ percentage: 5, percentage_split_point: 0, allowlist: null })?.allowlist).toEqual([]);
  expect(cookieValue('a=1; b="quoted"', "b")).toBe("quoted");
});
