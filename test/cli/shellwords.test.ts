import { describe, expect, test } from "bun:test";
import { shellSplit } from "../../src/cli/shellwords.ts";

describe("shellSplit (Ruby Shellwords.split)", () => {
  test("words, quotes and escapes", () => {
    expect(shellSplit(`app exec -i --reuse "bin/rails console"`)).toEqual(["app", "exec", "-i", "--reuse", "bin/rails console"]);
    expect(shellSplit(`  a   'b c'  d\\ e "f\\"g" 'h\\i' x"y"'z' `)).toEqual(["a", "b c", "d e", `f"g`, "h\\i", "xyz"]);
    expect(shellSplit(`"a\\$b" "c\\d"`)).toEqual(["a$b", "c\\d"]);
    expect(shellSplit(`'' ""`)).toEqual(["", ""]);
    expect(shellSplit("")).toEqual([]);
  });

  test("unmatched quotes are an error", () => {
    expect(() => shellSplit(`a "b`)).toThrow("Unmatched quote");
    expect(() => shellSplit(`a 'b`)).toThrow("Unmatched quote");
  });
});
