// Turns any error escaping a command into one line on stderr and an exit code.
// KamalError: `  ERROR (<kind>): <message>` (red on a TTY unless NO_COLOR), its own exit code.
// UsageError (bad command line): the plain message, exit 1. Anything else: one ERROR line, exit 1.
// The stack trace is printed only when verbose (-v or VERBOSE=1).
import { KamalError } from "../errors.ts";
import { colors, shouldColor } from "../output/color.ts";
import { UsageError } from "./argv.ts";
import type { CliIO } from "./context.ts";

export function reportError(err: unknown, io: CliIO, verbose: boolean): number {
  if (err instanceof UsageError) {
    io.stderr.write(`${err.message}\n`);
    return 1;
  }
  const kind = err instanceof KamalError ? err.kind : err instanceof Error ? err.constructor.name || err.name : "Error";
  const message = err instanceof Error ? err.message : String(err);
  const paint = colors(shouldColor(io.stderr, io.env));
  io.stderr.write(paint.red(`  ERROR (${kind}): ${message}`) + "\n");
  if (verbose && err instanceof Error && err.stack) {
    const frames = err.stack.split("\n").filter((l) => /^\s+at /.test(l));
    if (frames.length > 0) io.stderr.write(frames.map((l) => `  ${l.trim()}`).join("\n") + "\n");
  }
  return err instanceof KamalError ? err.exitCode : 1;
}

/** Whether the words ask for verbose output (for stack traces even when parsing itself fails). */
export function wantsVerbose(args: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.VERBOSE !== undefined && env.VERBOSE !== "" && env.VERBOSE !== "0") return true;
  for (const a of args) {
    if (a === "--") break;
    if (a === "--verbose" || /^-[A-Za-z]*v[A-Za-z]*$/.test(a)) return true;
  }
  return false;
}
