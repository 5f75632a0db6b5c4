import { expect, test } from "bun:test";
import { DurationError, formatDuration, parseDuration } from "../../src/proxy/duration.ts";

test("parses Go durations", () => {
  expect(parseDuration("30s")).toBe(30e9);
  expect(parseDuration("500ms")).toBe(500e6);
  expect(parseDuration("1m30s")).toBe(90e9);
  expect(parseDuration("1.5h")).toBe(5400e9);
  expect(parseDuration("0")).toBe(0);
  expect(parseDuration("10us")).toBe(10e3);
  expect(parseDuration("-2s")).toBe(-2e9);
});

test("rejects what Go rejects, with Go's messages", () => {
  expect(() => parseDuration("30")).toThrow(new DurationError('time: missing unit in duration "30"'));
  expect(() => parseDuration("abc")).toThrow('time: invalid duration "abc"');
  expect(() => parseDuration("")).toThrow('time: invalid duration ""');
  expect(() => parseDuration("3x")).toThrow('time: unknown unit "x" in duration "3x"');
});

test("formats like Duration.String()", () => {
  expect(formatDuration(30e9)).toBe("30s");
  expect(formatDuration(60e9)).toBe("1m0s");
  expect(formatDuration(20e6)).toBe("20ms");
  expect(formatDuration(1.5e9)).toBe("1.5s");
  expect(formatDuration(3723e9)).toBe("1h2m3s");
  expect(formatDuration(0)).toBe("0s");
  expect(formatDuration(1500)).toBe("1.5µs");
  expect(formatDuration(999)).toBe("999ns");
});
