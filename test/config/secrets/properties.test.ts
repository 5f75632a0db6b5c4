import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parseDotenv } from "../../../src/config/secrets/dotenv.ts";
import { shellescape, shellsplit } from "../../../src/shell/shellwords.ts";

const noCommands = { env: {}, runCommand: (c: string): string => { throw new Error(`unexpected command ${c}`); } };

describe("properties", () => {
  test("shellsplit(shellescape(s)) is [s] for any string (the inline fetch/extract round trip)", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
      expect(shellsplit(shellescape(s))).toEqual([s]);
    }), { numRuns: 500 });
  });

  test("single-quoted values come back verbatim (no quote, no CR inside)", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }).filter((s) => !s.includes("'") && !s.includes("\r")), (s) => {
      expect(parseDotenv(`A='${s}'\nB=after`, noCommands)).toEqual({ A: s, B: "after" });
    }), { numRuns: 500 });
  });

  test("a value from the env is substituted verbatim, whatever it contains", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
      expect(parseDotenv("A=$FROM_ENV", { ...noCommands, env: { FROM_ENV: s } }).A).toBe(s);
    }), { numRuns: 300 });
  });
});
