// The two ways secrets code runs programs, both synchronous because a secret is read synchronously
// (Secrets.get) and `$(kamal secrets fetch ...)` in a secrets file runs the adapters in-process:
// - cliRunner: a password-manager CLI as an argv (no shell), stdin/stderr on the terminal so sign-in
//   prompts work, stdout captured.
// - shellCommandRunner: a `$(command)` from a secrets file, through /bin/sh like Ruby's backticks.
import { spawnSync } from "node:child_process";
import type { Cmd } from "../../shell/index.ts";

export interface CliResult {
  /** Exit status 0 (a missing executable counts as failure). */
  ok: boolean;
  stdout: string;
}

export interface CliRunOptions {
  /** Send stderr to /dev/null (Kamal's `2> /dev/null`). */
  quiet?: boolean;
  /** Extra environment variables for this call, e.g. BW_SESSION. */
  env?: Record<string, string>;
}

export type CliRunner = (command: Cmd, options?: CliRunOptions) => CliResult;

export interface RunnerSettings {
  /** The environment the programs get; its PATH decides which CLI runs. */
  env: Record<string, string | undefined>;
  cwd: string;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

/** The argv of a plain command; secrets are passed in full (they are only redacted for display). */
export function argvOf(command: Cmd): string[] {
  if (command.kind !== "argv") throw new Error(`secrets CLI calls must be plain argv commands, got ${command.kind}`);
  return command.args.map((arg) => {
    if (typeof arg === "string") return arg;
    if ("secret" in arg) return arg.secret;
    throw new Error("secrets CLI calls take only literal arguments");
  });
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

export function cliRunner(settings: RunnerSettings): CliRunner {
  return (command, options = {}) => {
    const [file, ...args] = argvOf(command);
    const result = spawnSync(file!, args, {
      cwd: settings.cwd,
      env: { ...cleanEnv(settings.env), ...options.env },
      encoding: "utf8",
      stdio: ["inherit", "pipe", options.quiet ? "ignore" : "inherit"],
      maxBuffer: MAX_OUTPUT,
      shell: false,
    });
    return { ok: !result.error && result.status === 0, stdout: result.stdout ?? "" };
  };
}

/** Ruby's String#chomp: drop one trailing "\n", "\r\n" or "\r". */
export function chomp(text: string): string {
  if (text.endsWith("\r\n")) return text.slice(0, -2);
  if (text.endsWith("\n") || text.endsWith("\r")) return text.slice(0, -1);
  return text;
}

/** Run a secrets-file `$(command)` with /bin/sh; its stdout, chomped. Like backticks, the exit status is not checked. */
export function shellCommandRunner(settings: RunnerSettings): (command: string) => string {
  return (command) => {
    const result = spawnSync("/bin/sh", ["-c", command], {
      cwd: settings.cwd,
      env: cleanEnv(settings.env),
      encoding: "utf8",
      stdio: ["inherit", "pipe", "inherit"],
      maxBuffer: MAX_OUTPUT,
    });
    return chomp(result.stdout ?? "");
  };
}
