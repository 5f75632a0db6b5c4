import { expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fdWriter } from "../../src/cli/stdio.ts";

test("fdWriter writes strings and bytes synchronously; a regular file is not a TTY", () => {
  const dir = mkdtempSync(join(tmpdir(), "kamal-stdio-"));
  try {
    const file = join(dir, "out");
    const fd = openSync(file, "w");
    const w = fdWriter(fd);
    w.write("héllo ");
    w.write(new TextEncoder().encode("wörld\n"));
    expect(w.isTTY).toBe(false);
    closeSync(fd);
    expect(readFileSync(file, "utf8")).toBe("héllo wörld\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
