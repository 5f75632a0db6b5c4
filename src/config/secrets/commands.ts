// `kamal secrets fetch|extract|print` as functions returning the text to print. The CLI layer wires them;
// secrets files call fetch/extract in-process through runInlineSecretsCommand (`$(kamal secrets ...)`).
import { ArgumentError, KamalError } from "../../errors.ts";
import { lookupAdapter } from "./adapters/index.ts";
import { cliRunner, type CliRunner } from "./runner.ts";
import { shellescape, shellsplit } from "../../shell/shellwords.ts";

export interface SecretsFetchArgs {
  adapter: string;
  secrets: string[];
  account?: string;
  from?: string;
  /** Hidden `--inline`: shell-escape the JSON so it survives `$(kamal secrets extract NAME $SECRETS)`. */
  inline?: boolean;
}

export interface SecretsCommandDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Defaults to running the real CLIs found on env.PATH. */
  run?: CliRunner;
}

export const MISSING_ACCOUNT = "No value provided for required options '--account'";

/** `kamal secrets fetch`: JSON `{"name":"value",...}` (shell-escaped with --inline). */
export function secretsFetch(args: SecretsFetchArgs, deps: SecretsCommandDeps): string {
  const run = deps.run ?? cliRunner({ env: deps.env, cwd: deps.cwd });
  const adapter = lookupAdapter(args.adapter, { run, env: deps.env });
  if (adapter.requiresAccount && (args.account === undefined || args.account.trim() === "")) {
    // Kamal prints this and exits 0; inside a secrets file there is no value to return, so fail instead.
    if (args.inline) throw new KamalError(MISSING_ACCOUNT, "RuntimeError");
    return MISSING_ACCOUNT;
  }
  const results = adapter.fetch(args.secrets, { account: args.account, from: args.from });
  const json = JSON.stringify(results);
  return args.inline ? shellescape(json) : json;
}

/** `kamal secrets extract NAME JSON`: the value of NAME, else of the first key ending in `/NAME`. */
export function secretsExtract(name: string, secretsJson: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretsJson);
  } catch {
    throw new KamalError(`Could not parse the secrets JSON given to extract ${name}`, "RuntimeError");
  }
  const entries = typeof parsed === "object" && parsed !== null ? Object.entries(parsed as Record<string, unknown>) : [];
  const exact = entries.find(([k]) => k === name);
  const value = exact && exact[1] !== null && exact[1] !== false ? exact[1] : entries.find(([k]) => k.endsWith(`/${name}`))?.[1];
  if (value === undefined || value === null) throw new KamalError(`Could not find secret ${name}`, "RuntimeError");
  return String(value);
}

/** `kamal secrets print`: `KEY=VALUE` lines of every loaded secret (unredacted, as Kamal does). */
export function secretsPrint(secrets: { all(): Record<string, string> }): string {
  return Object.entries(secrets.all()).map(([k, v]) => `${k}=${v}`).join("\n");
}

// Options Thor accepts on any kamal command; ignored here.
const GLOBAL_VALUE_OPTIONS = new Set(["-c", "--config-file", "-d", "--destination", "-h", "--hosts", "-r", "--roles", "--version"]);
const GLOBAL_FLAGS = new Set(["-v", "--verbose", "-q", "--quiet", "-p", "--primary", "-H", "--skip-hooks", "--inline"]);
const FETCH_OPTIONS: Record<string, "adapter" | "account" | "from"> = {
  "-a": "adapter", "--adapter": "adapter", "--account": "account", "--from": "from",
};

/**
 * Run `kamal secrets fetch|extract ...` (a `$(...)` in a secrets file) in-process, as Kamal does with
 * `--inline`. Returns the value to substitute, chomped.
 */
export function runInlineSecretsCommand(commandLine: string, deps: SecretsCommandDeps): string {
  const words = shellsplit(commandLine).slice(1);
  if (words[0] !== "secrets") throw new ArgumentError(`Not a kamal secrets command: ${commandLine}`);
  const sub = words[1];
  const positional: string[] = [];
  const options: Partial<Record<"adapter" | "account" | "from", string>> = {};
  for (let i = 2; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inlineValue] = word.startsWith("--") && word.includes("=") ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)] : [word, undefined];
    if (sub === "fetch" && Object.hasOwn(FETCH_OPTIONS, flag)) {
      const value = inlineValue ?? words[++i];
      if (value === undefined) throw new ArgumentError(`No value provided for option '${flag}'`);
      options[FETCH_OPTIONS[flag]!] = value;
    } else if (GLOBAL_VALUE_OPTIONS.has(flag)) {
      if (inlineValue === undefined) i++;
    } else if (GLOBAL_FLAGS.has(flag)) {
      // nothing to do
    } else if (flag.startsWith("-") && flag.length > 1) {
      throw new ArgumentError(`Unknown option ${flag} in: ${commandLine}`);
    } else {
      positional.push(word);
    }
  }
  if (sub === "fetch") {
    if (options.adapter === undefined) throw new ArgumentError("No value provided for required options '--adapter'");
    const fetchArgs = { adapter: options.adapter, secrets: positional, account: options.account, from: options.from, inline: true };
    return secretsFetch(fetchArgs, deps);
  }
  if (sub === "extract") {
    if (positional.length !== 2) throw new ArgumentError(`kamal secrets extract takes NAME and SECRETS_JSON, in: ${commandLine}`);
    return secretsExtract(positional[0]!, positional[1]!);
  }
  throw new ArgumentError(`Only 'kamal secrets fetch' and 'kamal secrets extract' can run inside a secrets file: ${commandLine}`);
}
