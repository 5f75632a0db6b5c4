import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secrets } from "../../../src/config/secrets/index.ts";

describe("Secrets.loadedValues", () => {
  test("stays empty (and runs nothing) until a secret is looked up, then lists every value", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kamal-secrets-loaded-"));
    mkdirSync(join(cwd, ".kamal"));
    const marker = join(cwd, "ran");
    writeFileSync(join(cwd, ".kamal/secrets"), `A=alpha-value\nB=$(touch ${marker}; echo beta-value)\n`);
    const secrets = new Secrets({ cwd, env: { PATH: process.env.PATH } });
    expect(secrets.loadedValues()).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    expect(secrets.get("A")).toBe("alpha-value");
    expect(secrets.loadedValues().sort()).toEqual(["alpha-value", "beta-value"]);
    expect(existsSync(marker)).toBe(true);
  });
});
