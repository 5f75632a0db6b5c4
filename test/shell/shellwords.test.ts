import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { shellescape, shellsplit } from "../../src/shell/shellwords.ts";

/** What Ruby's own Shellwords says for each line: the words, or the ArgumentError message. */
function rubySplit(lines: readonly string[]): Array<string[] | { error: string }> {
  const script = `require "json"; require "shellwords"
    JSON.parse(STDIN.read).each { |l| puts JSON.generate(begin; Shellwords.split(l); rescue ArgumentError => e; { error: e.message }; end) }`;
  const r = spawnSync("ruby", ["-e", script], { input: JSON.stringify(lines), encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`ruby is needed for this test (scripts/ensure-deps.sh installs it): ${r.error?.message ?? r.stderr}`);
  return r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
}

const ours = (line: string): string[] | { error: string } => {
  try {
    return shellsplit(line);
  } catch (e) {
    return { error: (e as Error).message };
  }
};
/** Errors compare by kind (Ruby's message uses String#inspect, ours JSON): both must fail on the same lines. */
const errorsAlike = (r: Array<string[] | { error: string }>) =>
  r.map((x) => (Array.isArray(x) ? x : { error: x.error.startsWith("Unmatched quote") ? "Unmatched quote" : x.error }));

const CASES = [
  `app exec -i --reuse "bin/rails console"`, `  a   'b c'  d\\ e "f\\"g" 'h\\i' x"y"'z' `, `"a\\$b" "c\\d"`, `'' ""`, "",
  "a\rb", "a\fb", "a\vb", "a\u00a0b", "a\\\nb", "a\\", "\\", "\"x\\\ny\"", "a\tb\n", "a \"b", "a 'b", "é ü 'ö ä'",
  "a\\\\b", "\"\\`x\\`\"", "'a'\\''b'", "   ", "x\\ ", "\"\"a", "a\\\r\nb",
];

describe("shellsplit is Ruby's Shellwords.split", () => {
  test("hand-picked lines: blanks, quotes, escapes, NBSP, backslash-newline, a lone backslash, errors", () => {
    expect(errorsAlike(CASES.map(ours))).toEqual(errorsAlike(rubySplit(CASES)));
  });

  test("generated lines from a shell-heavy alphabet", () => {
    const alphabet = [" ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\\", "'", '"', "$", "`", "a", "b", "é", "-"];
    const lines = fc.sample(fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((cs) => cs.join("")), { numRuns: 400, seed: 9 });
    expect(errorsAlike(lines.map(ours))).toEqual(errorsAlike(rubySplit(lines)));
  });

  test("the alias example splits into Kamal's words", () => {
    expect(shellsplit(`app exec -i --reuse "bin/rails console"`)).toEqual(["app", "exec", "-i", "--reuse", "bin/rails console"]);
  });

  test("escape then split gives the text back", () => {
    fc.assert(fc.property(fc.string(), (s) => expect(shellsplit(shellescape(s))).toEqual([s])), { seed: 9 });
  });
});
