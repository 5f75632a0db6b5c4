import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../src/shell/index.ts";
import { ensureRunDirectory, userCommand } from "../../src/commands/server.ts";

describe("server commands", () => {
  test("mkdir -p .kamal", () => {
    expect(renderCmd(ensureRunDirectory({ runDirectory: ".kamal" }))).toBe("mkdir -p .kamal");
  });

  test("exec: the words joined as the user typed them, for the remote shell", () => {
    expect(renderCmd(userCommand(["ls", "-la", "|", "wc -l"]))).toBe("ls -la | wc -l");
  });
});
