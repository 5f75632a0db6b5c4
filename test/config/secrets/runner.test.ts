import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { argvOf, chomp, cliRunner, shellCommandRunner } from "../../../src/config/secrets/runner.ts";
import { cmd, pipe, secret } from "../../../src/shell/index.ts";

describe("secrets runners", () => {
  test("argvOf passes secrets in full and refuses shell constructs", () => {
    expect(argvOf(cmd("op", "--session", secret("s3cr3t")))).toEqual(["op", "--session", "s3cr3t"]);
    expect(() => argvOf(pipe(cmd("a"), cmd("b")))).toThrow("plain argv");
  });

  test("cliRunner finds programs on the given PATH only, passes argv verbatim and extra env", () => {
    const dir = mkdtempSync(join(tmpdir(), "kamal-runner-"));
    try {
      const tool = join(dir, "tool");
      writeFileSync(tool, '#!/bin/sh\nprintf "%s|" "$@" "$EXTRA"\nexit "${CODE:-0}"\n');
      chmodSync(tool, 0o755);
      const run = cliRunner({ env: { PATH: dir }, cwd: dir });
      expect(run(cmd("tool", "a b", "$HOME", "'q'"), { env: { EXTRA: "x" } })).toEqual({ ok: true, stdout: "a b|$HOME|'q'|x|" });
      expect(run(cmd("tool"), { env: { CODE: "3" } }).ok).toBe(false);
      expect(run(cmd("missing-tool"))).toEqual({ ok: false, stdout: "" });
      expect(cliRunner({ env: { PATH: "/nonexistent" }, cwd: dir })(cmd("tool")).ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("shellCommandRunner runs /bin/sh -c in cwd and chomps one newline", () => {
    const sh = shellCommandRunner({ env: { PATH: process.env.PATH, X: "1" }, cwd: "/" });
    expect(sh('printf "%s\\n\\n" "$X$(pwd)"')).toBe("1/\n");
    expect(chomp("a\r\n")).toBe("a");
    expect(chomp("a\r")).toBe("a");
  });
});
