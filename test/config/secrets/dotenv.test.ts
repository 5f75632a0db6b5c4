import { describe, expect, test } from "bun:test";
import { DotenvFormatError, parseDotenv } from "../../../src/config/secrets/dotenv.ts";

function parse(text: string, env: Record<string, string> = {}, outputs: Record<string, string> = {}) {
  const commands: string[] = [];
  const values = parseDotenv(text, {
    env,
    runCommand: (c) => {
      commands.push(c);
      return outputs[c] ?? `<${c}>`;
    },
  });
  return { values, commands };
}

describe("dotenv lines", () => {
  test("KEY=VALUE, export prefix, YAML-style colon, dotted keys", () => {
    const { values } = parse("A=1\nexport B=2\nC: 3\na.b=4\n");
    expect(values).toEqual({ A: "1", B: "2", C: "3", "a.b": "4" });
  });

  test("comments on their own line and after unquoted values; # ends an unquoted value", () => {
    const { values } = parse("# a comment\nA=one # trailing\n  # indented comment\nB=two#three\n");
    expect(values).toEqual({ A: "one", B: "two" });
  });

  test("surrounding whitespace is trimmed; unparseable lines are skipped", () => {
    const { values } = parse("   SPACED   =   value with spaces   \nthis is not a line\nOK=yes");
    expect(values).toEqual({ SPACED: "value with spaces", OK: "yes" });
  });

  test("empty values and bare keys are empty strings", () => {
    const { values } = parse("EMPTY=\nBARE\nNEXT=x");
    expect(values).toEqual({ EMPTY: "", BARE: "", NEXT: "x" });
  });

  test("CRLF and CR line endings are normalised; a BOM is ignored", () => {
    const { values } = parse("\uFEFFA=1\r\nB=2\rC=\"x\r\ny\"");
    expect(values).toEqual({ A: "1", B: "2", C: "x\ny" });
  });

  test("later keys override earlier ones", () => {
    expect(parse("A=1\nA=2").values).toEqual({ A: "2" });
  });

  test("export without a value needs an earlier definition", () => {
    expect(parse("A=1\nexport A").values).toEqual({ A: "1" });
    expect(() => parse("export MISSING")).toThrow(DotenvFormatError);
    expect(() => parse("export MISSING")).toThrow('Line "export MISSING" has an unset variable');
  });
});

describe("dotenv quoting", () => {
  test("single quotes are literal: no escapes, variables or commands", () => {
    const { values, commands } = parse("A='x $HOME ${B} \\n $(echo hi) \\$'", { HOME: "/root" });
    expect(values.A).toBe("x $HOME ${B} \\n $(echo hi) \\$");
    expect(commands).toEqual([]);
  });

  test("a backslash-quote inside single quotes stays", () => {
    expect(parse("A='it\\'s'").values.A).toBe("it\\'s");
  });

  test("double quotes unescape \\\" and \\\\ but keep \\n literal by default (dotenv 3)", () => {
    const { values } = parse('A="say \\"hi\\" \\\\ back"\nB="a\\nb\\rc"');
    expect(values.A).toBe('say "hi" \\ back');
    expect(values.B).toBe("a\\nb\\rc");
  });

  test("DOTENV_LINEBREAK_MODE=legacy turns \\n into a newline (from the file or the env)", () => {
    expect(parse('DOTENV_LINEBREAK_MODE=legacy\nB="a\\nb"').values.B).toBe("a\nb");
    expect(parse('B="a\\nb"', { DOTENV_LINEBREAK_MODE: "legacy" }).values.B).toBe("a\nb");
  });

  test("double-quoted values span lines", () => {
    const { values } = parse('KEY="-----BEGIN-----\nline2\n-----END-----"\nNEXT=1');
    expect(values).toEqual({ KEY: "-----BEGIN-----\nline2\n-----END-----", NEXT: "1" });
  });

  test("a quoted value followed by more text is not treated as quoted", () => {
    expect(parse('A="abc" extra').values.A).toBe('"abc" extra');
  });

  test("unquoted values are backslash-unescaped except \\$", () => {
    expect(parse("A=a\\bc\\\\d").values.A).toBe("abc\\d");
  });

  test("UTF-8 in quotes (Kamal's integration secrets)", () => {
    expect(parse(`SECRET_TOKEN='1234 with "中文"'`).values.SECRET_TOKEN).toBe('1234 with "中文"');
  });
});

describe("dotenv variables", () => {
  test("$VAR and ${VAR} from earlier keys, then the env; unknown is empty", () => {
    const { values } = parse("A=1\nB=${A}2\nC=$A-$MISSING-x\nD=$FROM_ENV", { FROM_ENV: "env" });
    expect(values).toEqual({ A: "1", B: "12", C: "1--x", D: "env" });
  });

  test("values from the file win over the env (Kamal: 'secrets file value overrides env')", () => {
    expect(parse("A=file\nB=$A", { A: "env" }).values.B).toBe("file");
  });

  test("a key can reference itself from the env (KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD)", () => {
    expect(parse("P=$P", { P: "from-env" }).values.P).toBe("from-env");
  });

  test("variable names are case-insensitive patterns, \\$ escapes, a lone $ stays", () => {
    const { values } = parse('lower=1\nA=$lower\nB=\\$lower\nC="\\${lower}"\nD=cost$\nE=$', {});
    expect(values).toEqual({ lower: "1", A: "1", B: "$lower", C: "${lower}", D: "cost$", E: "$" });
  });
});

describe("dotenv commands", () => {
  test("$(command) is replaced by its output", () => {
    const { values, commands } = parse("A=$(cat config/master.key)", {}, { "cat config/master.key": "abc123" });
    expect(values.A).toBe("abc123");
    expect(commands).toEqual(["cat config/master.key"]);
  });

  test("\\$(command) is left literal and not run", () => {
    const { values, commands } = parse("A=\\$(echo hi)");
    expect(values.A).toBe("$(echo hi)");
    expect(commands).toEqual([]);
  });

  test("variables inside a command are substituted before it runs", () => {
    const { commands } = parse("FILE=config/master.key\nA=$(cat $FILE)");
    expect(commands).toEqual(["cat config/master.key"]);
  });

  test("nested parentheses stay inside one command", () => {
    const { commands } = parse("A=$(echo $(echo inner) (x))");
    expect(commands).toEqual(["echo $(echo inner) (x)"]);
  });

  test("a $ in a command's output is kept (the value of a vault password)", () => {
    const { values } = parse("A=$(get)", {}, { get: "pa$1wor$D" });
    expect(values.A).toBe("pa$1wor$D");
  });

  test("several commands in one value, each run once", () => {
    const { values, commands } = parse('A="$(one)-$(two)"', {}, { one: "1", two: "2" });
    expect(values.A).toBe("1-2");
    expect(commands).toEqual(["one", "two"]);
  });

  test("unbalanced $( is left alone", () => {
    const { values, commands } = parse("A=$(oops");
    expect(values.A).toBe("$(oops");
    expect(commands).toEqual([]);
  });
});
