// Property tests: whatever the argv, renderCmd + a real POSIX shell deliver it byte for byte.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { cmd, concat, displayCmd, pipe, redirect, renderCmd, secret, secretsOf, sh, type Arg, type Cmd } from "../../src/shell/index.ts";

const NASTY = ["'", '"', "$", "`", "\\", "\n", "\r", " ", "\t", "*", "?", "~", "!", "#", "&", ";", "|", "(", ")", "{", "}",
  "[", "]", "<", ">", "=", "%", "-", "^", "é", "日本", "😀", "\x01", "\x1b", "\x7f", "$(id)", "${HOME}", "'\\''", "\u00a0"];

/** Any Unicode scalar value except NUL (argv cannot carry NUL) and lone surrogates (not encodable as UTF-8). */
const codePoint = fc
  .integer({ min: 1, max: 0x10ffff })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCodePoint(c));
const char = fc.oneof({ arbitrary: fc.constantFrom(...NASTY), weight: 3 }, { arbitrary: codePoint, weight: 2 }, fc.constantFrom("a", "Z", "0", "/", ".", ":"));
/** Mostly-harmless letters with one or two shell metacharacters: finds a quoting rule that lets one through. */
const SMALL = ["a", "Z", "0", "_", "-", ".", "/", "=", ":", "@", "%", "+", ",", "$", "{", "}", "*", "?", "~", "'", "\\", "`", "!", "#", " ", "\n", "&", "|", ";", "<", ">", "(", ")", "[", "]", "^", "\""];
const word = fc.oneof(
  fc.array(char, { maxLength: 12 }).map((cs) => cs.join("")),
  fc.array(fc.constantFrom(...SMALL), { maxLength: 6 }).map((cs) => cs.join("")),
);
const argv = fc.array(word, { minLength: 1, maxLength: 6 });

const shells = ["/bin/sh", "bash"];

/** Run a line and return the NUL-separated words printf wrote. */
function runWords(shell: string, line: string): string[] {
  const r = spawnSync(shell, ["-c", line], { maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${shell} exited ${r.status}: ${r.stderr}\nline: ${line}`);
  const parts = r.stdout.toString("utf8").split("\0");
  parts.pop(); // after the last \0
  return parts;
}
const printfArgs = (args: Arg[]): Cmd => cmd("printf", "%s\\0", ...args);

describe("renderCmd delivers argv unchanged", () => {
  for (const shell of shells) {
    test(`argv through ${shell}`, () => {
      fc.assert(fc.property(argv, (args) => { expect(runWords(shell, renderCmd(printfArgs(args)))).toEqual(args); }), { numRuns: 300 });
    });
  }

  test("sh -c nesting, one and two levels", () => {
    fc.assert(
      fc.property(argv, fc.boolean(), (args, twice) => {
        const inner = printfArgs(args);
        const c = twice ? sh(sh(inner)) : sh(inner);
        expect(runWords("/bin/sh", renderCmd(c))).toEqual(args);
      }),
      { numRuns: 100 },
    );
  });

  test("concat glues pieces into one word", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), word, (pieces, other) => {
        const c = printfArgs([concat(...pieces), other]);
        expect(runWords("/bin/sh", renderCmd(c))).toEqual([pieces.join(""), other]);
      }),
      { numRuns: 100 },
    );
  });

  test("pipes and redirects keep their arguments", () => {
    fc.assert(
      fc.property(argv, (args) => {
        const c = pipe(redirect(printfArgs(args), "2>", "/dev/null"), cmd("cat"));
        expect(runWords("/bin/sh", renderCmd(c))).toEqual(args);
      }),
      { numRuns: 60 },
    );
  });

  test("a command name that looks like an assignment or a keyword is still a command", () => {
    expect(renderCmd(cmd("FOO=bar", "x"))).toBe("'FOO=bar' x");
    expect(renderCmd(cmd("if", "x"))).toBe("'if' x");
    expect(renderCmd(cmd("printf", "FOO=bar"))).toBe("printf FOO=bar");
  });
});

describe("secrets", () => {
  const secretValue = fc.array(char, { minLength: 4, maxLength: 16 }).map((cs) => cs.join(""));
  test("run with the real value, displayed as [REDACTED]", () => {
    fc.assert(
      fc.property(argv, secretValue, (args, value) => {
        fc.pre(!args.some((a) => a.includes(value)) && !"printf %s\\0 [REDACTED]".includes(value));
        const c = printfArgs([...args, secret(value)]);
        expect(runWords("/bin/sh", renderCmd(c))).toEqual([...args, value]);
        expect(displayCmd(c)).toContain("[REDACTED]");
        expect(displayCmd(c)).not.toContain(value);
        expect(secretsOf(c)).toEqual([value]);
      }),
      { numRuns: 80 },
    );
  });
  test("secrets inside sh -c are redacted too", () => {
    const c = sh(cmd("docker", "login", "-p", secret("hunter2!")));
    expect(displayCmd(c)).toBe("sh -c 'docker login -p [REDACTED]'");
    expect(secretsOf(c)).toEqual(["hunter2!"]);
  });
});
