// What every command handler receives instead of globals: where it runs, its streams, its environment and
// the parsed global options. Tests build one with in-memory writers (see test/cli/helpers.ts).
import { splitFilterList } from "../exec/select.ts";
import type { RunGlobals } from "../flows/context.ts";

export interface Writer {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
}

/** The process-level inputs of one CLI run. */
export interface CliIO {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writer;
  readonly stderr: Writer;
}

export type Verbosity = "debug" | "info" | "error";

/** Kamal's class options (reference §1.1), parsed and typed: what flows take, plus --verbose. */
export interface GlobalOptions extends RunGlobals {
  readonly verbose: boolean;
}

export interface CliContext extends CliIO {
  readonly global: GlobalOptions;
  readonly verbosity: Verbosity;
  /** The command words, e.g. ["app", "boot"] or ["deploy"]. */
  readonly commandPath: readonly string[];
  /** The words after the command word(s), after alias expansion. */
  readonly argv: readonly string[];
  /** Runs another kamal command line in-process with the same IO (Thor's `invoke`). Returns its exit code. */
  invoke(args: readonly string[]): Promise<number>;
}

export function verbosityOf(global: Pick<GlobalOptions, "verbose" | "quiet">): Verbosity {
  if (global.verbose) return "debug";
  if (global.quiet) return "error";
  return "info";
}

/** Splits `a,b, c` into patterns (empty items dropped). Unlike Kamal's plain split(","), commas inside `{a,b}` stay in their pattern. */
export function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return splitFilterList(value);
}
