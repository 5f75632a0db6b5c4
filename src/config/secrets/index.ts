// Kamal's secrets: `.kamal/secrets-common` then `.kamal/secrets` (or `.kamal/secrets.<destination>`),
// dotenv files whose `$(...)` commands run once, on first use.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigurationError } from "../../errors.ts";
import { readUserFile } from "../read-text.ts";
import { runInlineSecretsCommand } from "./commands.ts";
import { parseDotenv } from "./dotenv.ts";
import { chomp, type CliRunner, shellCommandRunner } from "./runner.ts";

export interface SecretsOptions {
  /** Default `.kamal/secrets`, relative to cwd. */
  secretsPath?: string;
  destination?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Runs password-manager CLIs for in-process `$(kamal secrets fetch ...)`; defaults to the real ones on env.PATH. */
  run?: CliRunner;
}

const INLINE_KAMAL_SECRETS = /^\s*kamal\s*secrets\s+/;

export class Secrets {
  readonly #path: string;
  readonly #destination: string | undefined;
  readonly #cwd: string;
  readonly #env: Record<string, string | undefined>;
  readonly #run: CliRunner | undefined;
  #values: Record<string, string> | undefined;
  #files: string[] | undefined;

  constructor(options: SecretsOptions) {
    this.#path = options.secretsPath ?? ".kamal/secrets";
    this.#destination = options.destination;
    this.#cwd = options.cwd;
    this.#env = options.env;
    this.#run = options.run;
  }

  /** The files that would be read, in order (existing or not). */
  candidateFiles(): string[] {
    const main = this.#destination ? `${this.#path}.${this.#destination}` : this.#path;
    return [`${this.#path}-common`, main];
  }

  /** The secrets files that exist, in the order they are read (later ones win). */
  files(): string[] {
    this.#files ??= this.candidateFiles().filter((f) => isSecretsFile(resolve(this.#cwd, f), f));
    return this.#files;
  }

  get(key: string): string {
    const values = this.#load();
    if (Object.hasOwn(values, key)) return values[key]!;
    const files = this.files();
    if (files.length > 0) throw new ConfigurationError(`Secret '${key}' not found in ${files.join(", ")}`);
    throw new ConfigurationError(`Secret '${key}' not found, no secret files (${this.candidateFiles().join(", ")}) provided`);
  }

  /** Like Kamal's `key?`: the secret exists and is not blank. */
  has(key: string): boolean {
    const values = this.#load();
    return Object.hasOwn(values, key) && values[key]!.trim() !== "";
  }

  keys(): string[] {
    return Object.keys(this.#load());
  }

  all(): Record<string, string> {
    return { ...this.#load() };
  }

  /** The values read so far, without reading anything (secrets stay lazy): what output must be scrubbed of. */
  loadedValues(): string[] {
    return this.#values ? Object.values(this.#values) : [];
  }

  #load(): Record<string, string> {
    if (this.#values) return this.#values;
    const settings = { env: this.#env, cwd: this.#cwd };
    const shell = shellCommandRunner(settings);
    const runCommand = (command: string): string =>
      INLINE_KAMAL_SECRETS.test(command) ? chomp(runInlineSecretsCommand(command, { ...settings, run: this.#run })) : shell(command);
    const merged: Record<string, string> = {};
    for (const file of this.files()) {
      const text = readUserFile(resolve(this.#cwd, file), file, "secrets file");
      Object.assign(merged, parseDotenv(text, { env: this.#env, runCommand, source: file }));
    }
    this.#values = merged;
    return merged;
  }
}

/** Whether a secrets file is there to read; a directory in its place is an error, not "no secrets". */
function isSecretsFile(path: string, shown: string): boolean {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return false;
  }
  if (stat.isDirectory()) throw new ConfigurationError(`${shown} is a directory, not a secrets file; write the secrets as NAME=value lines in a file there`);
  return stat.isFile();
}

export { parseDotenv } from "./dotenv.ts";
export { runInlineSecretsCommand, secretsExtract, secretsFetch, secretsPrint } from "./commands.ts";
export type { SecretsCommandDeps, SecretsFetchArgs } from "./commands.ts";
