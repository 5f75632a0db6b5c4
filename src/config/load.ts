// Loading config/deploy.yml the way Kamal's Configuration.load_raw_config does: KAMAL_DESTINATION is set
// in the environment first, each file is rendered with ERB (trim mode "-") and parsed as YAML 1.1 (Psych
// unsafe_load), and the destination file `config/deploy.<dest>.yml` is deep-merged over the base file
// (hashes merge recursively; arrays and scalars from the destination replace). A missing file fails with
// `Configuration file not found in <absolute path>` (then how to fix it), the destination file included.

import { existsSync, statSync } from "node:fs";
import { basename, dirname, extname, relative, resolve } from "node:path";
import { ConfigurationError } from "../errors.ts";
import { renderErb, type ErbHost } from "./erb.ts";
import { readUserFile } from "./read-text.ts";
import { isHash } from "./validate/example.ts";
import { parseYaml } from "./yaml.ts";

export const DEFAULT_CONFIG_FILE = "config/deploy.yml";

/** A missing config file. Kamal raises a plain RuntimeError here, so that is the kind it prints as. */
export class ConfigFileNotFound extends ConfigurationError {
  /** `hint` (how to fix it) follows Kamal's text after a semicolon. */
  constructor(readonly path: string, hint?: string) {
    super(`Configuration file not found in ${path}${hint ? `; ${hint}` : ""}`);
    Object.defineProperty(this, "kind", { value: "RuntimeError" });
  }
}

export interface LoadRawConfigOptions {
  /** Default `config/deploy.yml`, relative to cwd. */
  configFile?: string;
  destination?: string;
  /** Project directory: relative paths, backticks and File.read in ERB are resolved here. Default: process.cwd(). */
  cwd?: string;
  /**
   * The environment ERB reads. It is changed in place like Ruby's ENV would be (KAMAL_DESTINATION set or
   * deleted, Dotenv.load adding keys), so later steps (secrets, hooks) see the same values; when it is
   * `process.env` itself, a copy is used instead.
   */
  env: Record<string, string | undefined>;
  /** Side effects of ERB (reading files, running backticks); for tests. */
  erbHost?: ErbHost;
}

export interface RawConfig {
  raw: Record<string, unknown>;
  /** Absolute paths of the files read, base first. */
  files: string[];
  /** The environment after loading (KAMAL_DESTINATION, Dotenv.load): pass it on to secrets and hooks. */
  env: Record<string, string | undefined>;
}

/** Pathname#sub_ext: `config/deploy.yml` + `.staging.yml` -> `config/deploy.staging.yml`. */
export function destinationConfigFile(configFile: string, destination: string): string {
  const ext = extname(basename(configFile));
  const stem = ext ? configFile.slice(0, -ext.length) : configFile;
  return `${stem}.${destination}.yml`;
}

/** ActiveSupport Hash#deep_merge: nested hashes merge, everything else from `override` replaces. */
export function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    const next = isHash(current) && isHash(value) ? deepMerge(current, value) : value;
    Object.defineProperty(merged, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

/** What a file held instead of a hash, by kind only: the text itself may be anything (a secrets file given to -c). */
function describe(value: unknown): string {
  if (value === null || value === undefined || value === false) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "a single string (is this a YAML file?)";
  return `a single ${typeof value === "number" ? "number" : "value"}`;
}

function loadConfigFile(path: string, cwd: string, env: Record<string, string | undefined>, notFoundHint: string, erbHost?: ErbHost): Record<string, unknown> {
  const stat = existsSync(path) ? statSync(path) : undefined;
  if (stat?.isDirectory()) {
    throw new ConfigurationError(`Configuration file ${path} is a directory; give -c the YAML file itself (default: ${DEFAULT_CONFIG_FILE})`);
  }
  if (!stat?.isFile()) throw new ConfigFileNotFound(path, notFoundHint);
  const shown = relative(cwd, path).startsWith("..") ? path : relative(cwd, path);
  const rendered = renderErb(readUserFile(path, shown, "configuration file"), { file: shown, env, cwd, host: erbHost });
  const parsed = parseYaml(rendered, shown);
  if (!isHash(parsed)) {
    throw new ConfigurationError(`${shown}: expected a hash of configuration keys (like \`service: my-app\`), found ${describe(parsed)}`);
  }
  return parsed;
}

/** Reads, renders, parses and merges the configuration files. Throws ConfigurationError (one line). */
export function loadRawConfig(opts: LoadRawConfigOptions): RawConfig {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const env = opts.env === process.env ? { ...process.env } : opts.env;
  if (opts.destination === undefined) delete env.KAMAL_DESTINATION;
  else env.KAMAL_DESTINATION = opts.destination;

  const base = resolve(cwd, opts.configFile ?? DEFAULT_CONFIG_FILE);
  const files = [base];
  if (opts.destination !== undefined) files.push(resolve(dirname(base), basename(destinationConfigFile(base, opts.destination))));
  const hints = [
    "run kamal init to create it, or give -c the path of your deploy.yml",
    `create it for destination "${opts.destination}", or check -d`,
  ];
  let raw: Record<string, unknown> = {};
  files.forEach((file, i) => { raw = deepMerge(raw, loadConfigFile(file, cwd, env, hints[i], opts.erbHost)); });
  return { raw, files, env };
}

