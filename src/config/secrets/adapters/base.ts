// What every secrets adapter shares: the fetch flow (account check, CLI installed?, login, fetch),
// the `--from` prefixing and the Ruby string helpers the adapters' key rules depend on.
import { KamalError } from "../../../errors.ts";
import { cmd } from "../../../shell/index.ts";
import type { CliRunner } from "../runner.ts";

/** Kamal raises plain RuntimeErrors from its adapters; they print as `ERROR (RuntimeError): ...`. */
export class SecretsAdapterError extends KamalError {
  constructor(message: string) { super(message, "RuntimeError"); }
}

export interface FetchOptions {
  account?: string;
  from?: string;
}

export interface SecretsAdapter {
  /** `kamal secrets fetch` refuses to run without `--account` for these. */
  readonly requiresAccount: boolean;
  /** Log in if needed and return `{ name: value }`. Throws SecretsAdapterError. */
  fetch(secrets: string[], options: FetchOptions): Record<string, string>;
}

export interface AdapterDeps {
  run: CliRunner;
  /** The process environment (e.g. DOPPLER_TOKEN). */
  env: Record<string, string | undefined>;
}

/** The base flow of Kamal's adapters. */
export interface AdapterSteps<Session> {
  requiresAccount: boolean;
  checkDependencies(): void;
  login(account: string | undefined): Session;
  fetchSecrets(secrets: string[], options: FetchOptions & { session: Session }): Record<string, string>;
}

export function defineAdapter<Session>(steps: AdapterSteps<Session>): SecretsAdapter {
  return {
    requiresAccount: steps.requiresAccount,
    fetch(secrets, options) {
      if (steps.requiresAccount && isBlank(options.account)) throw new SecretsAdapterError("Missing required option '--account'");
      steps.checkDependencies();
      const session = steps.login(options.account);
      return steps.fetchSecrets(secrets, { ...options, session });
    },
  };
}

/** `<cli> --version 2> /dev/null` must succeed, else `<product> is not installed`. */
export function requireCli(run: CliRunner, versionArgs: string[], product: string): void {
  if (!run(cmd(versionArgs), { quiet: true }).ok) throw new SecretsAdapterError(`${product} is not installed`);
}

/** `--from F` turns every secret S into `F/S`. */
export function prefixedSecrets(secrets: string[], from: string | undefined): string[] {
  return secrets.map((s) => (from === undefined || from === null ? s : `${from}/${s}`));
}

/** Ruby's `String#split(sep)`: trailing empty fields are dropped; "" gives []. */
export function rubySplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Ruby's `blank?` for strings: undefined, empty or whitespace only. */
export function isBlank(text: string | undefined | null): boolean {
  return text === undefined || text === null || /^\s*$/.test(text);
}

/** How Ruby prints an array of strings inside a message: `["a", "b"]`. */
export function inspectList(items: string[]): string {
  return "[" + items.map((i) => JSON.stringify(i)).join(", ") + "]";
}

/** Parse a CLI's JSON output, or fail with one clear line naming the command. */
export function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new SecretsAdapterError(`Could not parse the output of \`${what}\` as JSON`);
  }
}

/** A value from a vault as a string: strings as they are, anything else as JSON (Ruby's JSON.dump). */
export function stringifySecret(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? "null";
}

export function uniq(items: string[]): string[] {
  return [...new Set(items)];
}
