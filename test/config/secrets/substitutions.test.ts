import { describe, expect, test } from "bun:test";
import { substitute, substituteVariables } from "../../../src/config/secrets/substitutions.ts";

const commandsIn = (text: string): string[] => {
  const seen: string[] = [];
  substitute(text, { lookup: () => "", innerLookup: () => undefined, run: (c) => { seen.push(c); return ""; } });
  return seen;
};

describe("finding $(...)", () => {
  test("escaped parentheses do not end a command (Kamal's inline substitution test)", () => {
    expect(commandsIn('KEY1=$(kamal secrets extract KEY1 \\{\\"KEY1\\":\\"pass\\)word\\"\\}) tail')).toEqual([
      'kamal secrets extract KEY1 \\{\\"KEY1\\":\\"pass\\)word\\"\\}',
    ]);
  });

  test("empty $() is not a command; nested groups must balance", () => {
    expect(commandsIn("$() $(a) $(b (c) d) $(e (f)")).toEqual(["a", "b (c) d"]);
  });

  test("escaped commands are not run", () => {
    expect(commandsIn("x\\$(a) $(b)")).toEqual(["b"]);
  });
});

describe("substitutions", () => {
  test("commands run with variables looked up by the inner lookup", () => {
    const seen: string[] = [];
    const out = substitute("pre $(echo $X) $X post", {
      lookup: (n) => (n === "X" ? "outer" : undefined),
      innerLookup: (n) => (n === "X" ? "inner" : undefined),
      run: (c) => { seen.push(c); return "R"; },
    });
    expect(out).toBe("pre R outer post");
    expect(seen).toEqual(["echo inner"]);
  });

  test("one pass: substituted text is never scanned again", () => {
    const seen: string[] = [];
    const out = substitute("$A|$(cmd)|\\$B|\\$(x)|$(oops", {
      lookup: (n) => ({ A: "$(rm -rf /)", B: "b" } as Record<string, string>)[n],
      innerLookup: () => undefined,
      run: (c) => { seen.push(c); return "out $A $(nested)"; },
    });
    expect(out).toBe("$(rm -rf /)|out $A $(nested)|$B|$(x)|$(oops");
    expect(seen).toEqual(["cmd"]);
  });

  test("substituteVariables leaves $( alone", () => {
    expect(substituteVariables("$(x) ${A}$B", (n) => n.toLowerCase())).toBe("$(x) ab");
  });
});
