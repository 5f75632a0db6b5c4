import { describe, expect, test } from "bun:test";
import { findCommands, substituteCommands, substituteVariables } from "../../../src/config/secrets/substitutions.ts";

describe("findCommands", () => {
  test("escaped parentheses do not end a command (Kamal's inline substitution test)", () => {
    const text = 'KEY1=$(kamal secrets extract KEY1 \\{\\"KEY1\\":\\"pass\\)word\\"\\})';
    const [m] = findCommands(text);
    expect(m!.command).toBe('kamal secrets extract KEY1 \\{\\"KEY1\\":\\"pass\\)word\\"\\}');
    expect(m!.end).toBe(text.length);
    expect(m!.escaped).toBe(false);
  });

  test("empty $() is not a command; a later one is found", () => {
    expect(findCommands("$() $(a)").map((m) => m.command)).toEqual(["a"]);
  });

  test("escaped and plain commands", () => {
    expect(findCommands("x\\$(a) $(b)").map((m) => [m.command, m.escaped])).toEqual([["a", true], ["b", false]]);
  });
});

describe("substitutions", () => {
  test("substituteCommands runs with variables looked up by the inner lookup", () => {
    const seen: string[] = [];
    const out = substituteCommands("pre $(echo $X) post", (n) => (n === "X" ? "1" : undefined), (c) => {
      seen.push(c);
      return "R";
    });
    expect(out).toBe("pre R post");
    expect(seen).toEqual(["echo 1"]);
  });

  test("substituteVariables leaves $( alone", () => {
    expect(substituteVariables("$(x) ${A}$B", (n) => n.toLowerCase())).toBe("$(x) ab");
  });
});
