// Command-line parsing with Kamal's (Thor's) rules on top of cac: `--skip_push` == `--skip-push`, `--no-x` and
// `--skip-x` for booleans, clusters like `-vq`, array and hash options that take several words, numeric checks.
// Every word is rewritten into a canonical form before cac sees it, and positional words and option values are
// marked so that cac/mri keep them as strings (mri would turn "0123" into the number 123).
import { cac, type CAC } from "cac";
import { camelCase, type OptionSpec } from "./options.ts";

/** A mistake in the command line itself; printed as one plain line, exit 1 (as Thor does). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const MARK = "\u0000";
const mark = (s: string): string => MARK + s;
const unmark = (s: string): string => (s.startsWith(MARK) ? s.slice(1) : s);

interface Lookup {
  long: Map<string, OptionSpec>;
  short: Map<string, OptionSpec>;
}

function lookupOf(specs: readonly OptionSpec[]): Lookup {
  const long = new Map<string, OptionSpec>();
  const short = new Map<string, OptionSpec>();
  for (const s of specs) {
    long.set(s.name, s);
    if (s.alias) short.set(s.alias, s);
  }
  return { long, short };
}

function findLong(lookup: Lookup, rawName: string): { spec: OptionSpec; negated: boolean } | undefined {
  const spec = lookup.long.get(rawName);
  if (spec) return { spec, negated: false };
  for (const prefix of ["no-", "skip-"]) {
    if (!rawName.startsWith(prefix)) continue;
    const base = lookup.long.get(rawName.slice(prefix.length));
    if (base?.type === "boolean") return { spec: base, negated: true };
  }
  return undefined;
}

export interface Canonical {
  /** Words for cac: `--name`, `--no-name`, `--name=<marked value>`, marked positionals. */
  readonly words: string[];
  /** Long names of the options given on the command line. */
  readonly given: Set<string>;
  /** Index in `args` of each positional word, in order. */
  readonly positionalAt: number[];
}

/**
 * Rewrites `args` into canonical words. Unknown dashed words are kept as positionals when `passUnknown`,
 * otherwise left for cac to reject.
 */
export function canonicalize(args: readonly string[], specs: readonly OptionSpec[], passUnknown: boolean): Canonical {
  const lookup = lookupOf(specs);
  const words: string[] = [];
  const given = new Set<string>();
  const positionalAt: number[] = [];
  let i = 0;
  const next = (): string | undefined => {
    const w = args[i + 1];
    if (w === undefined || (w.startsWith("-") && w !== "-")) return undefined;
    i++;
    return w;
  };
  const emit = (spec: OptionSpec, negated: boolean, inline: string | undefined, flag: string): void => {
    given.add(spec.name);
    if (spec.type === "boolean") {
      let on = !negated;
      if (inline !== undefined) {
        if (inline !== "true" && inline !== "false") throw new UsageError(`Expected boolean value for '${flag}'; got "${inline}"`);
        on = (inline === "true") !== negated;
      }
      words.push(on ? `--${spec.name}` : `--no-${spec.name}`);
      return;
    }
    const values: string[] = [];
    if (inline !== undefined) values.push(inline);
    if (spec.type === "array" || spec.type === "hash") {
      for (;;) {
        const w = args[i + 1];
        if (w === undefined || w.startsWith("-") || (spec.type === "hash" && !w.includes(":"))) break;
        values.push(w);
        i++;
      }
    } else if (inline === undefined) {
      const v = next();
      if (v !== undefined) values.push(v);
    }
    if (values.length === 0) throw new UsageError(`No value provided for option '${flag}'`);
    for (const v of values) {
      if (spec.type === "numeric" && !Number.isFinite(Number(v))) {
        throw new UsageError(`Expected numeric value for '${flag}'; got "${v}"`);
      }
      if (spec.type === "hash" && !v.includes(":")) throw new UsageError(`Expected KEY:VALUE for '${flag}'; got "${v}"`);
      words.push(`--${spec.name}=${mark(v)}`);
    }
  };
  const unknown = (word: string): void => {
    if (passUnknown) positionalAt.push(i);
    words.push(passUnknown ? mark(word) : word);
  };

  for (; i < args.length; i++) {
    const word = args[i];
    if (word === "--") {
      words.push("--", ...args.slice(i + 1).map(mark));
      for (let k = i + 1; k < args.length; k++) positionalAt.push(k);
      break;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const rawName = (eq < 0 ? word.slice(2) : word.slice(2, eq)).replace(/_/g, "-");
      const found = findLong(lookup, rawName);
      if (!found) unknown(word);
      else emit(found.spec, found.negated, eq < 0 ? undefined : word.slice(eq + 1), `--${rawName}`);
    } else if (word.startsWith("-") && word.length > 1) {
      const cluster = shortCluster(lookup, word.slice(1));
      if (!cluster) unknown(word);
      else for (const [spec, inline] of cluster) emit(spec, false, inline, `-${spec.alias}`);
    } else {
      positionalAt.push(i);
      words.push(mark(word));
    }
  }
  return { words, given, positionalAt };
}

/** `-vq` -> [verbose, quiet]; `-dstaging` / `-d=staging` -> destination "staging". Undefined if a letter is unknown. */
function shortCluster(lookup: Lookup, letters: string): Array<[OptionSpec, string | undefined]> | undefined {
  const out: Array<[OptionSpec, string | undefined]> = [];
  for (let j = 0; j < letters.length; j++) {
    const spec = lookup.short.get(letters[j]);
    if (!spec) return undefined;
    if (spec.type !== "boolean") {
      const rest = letters.slice(j + 1).replace(/^=/, "");
      out.push([spec, rest === "" ? undefined : rest]);
      return out;
    }
    out.push([spec, undefined]);
  }
  return out;
}

/** Index of the first positional word of `args` (the command word), skipping options and their values; -1 if none. */
export function firstPositional(args: readonly string[], specs: readonly OptionSpec[]): number {
  const { positionalAt, words } = canonicalize(args, specs, true);
  const dashDash = words.indexOf("--");
  const at = positionalAt[0];
  // A word after `--` is never a command word.
  if (at === undefined || (dashDash >= 0 && args.indexOf("--") < at)) return -1;
  return at;
}

export interface CacCommand {
  readonly name: string;
  readonly paramsUsage: string;
  readonly options: readonly OptionSpec[];
}

/** One cac instance for a command level (main or a group): the commands with their options, plus the globals. */
export function buildCac(program: string, commands: readonly CacCommand[], globals: readonly OptionSpec[]): CAC {
  const cli = cac(program);
  for (const o of globals) cli.option(cacRawName(o), o.desc);
  for (const c of commands) {
    const cmd = cli.command(`${c.name}${c.paramsUsage ? " " + c.paramsUsage : ""}`).ignoreOptionDefaultValue();
    for (const o of c.options) cmd.option(cacRawName(o), o.desc);
  }
  return cli;
}

function cacRawName(o: OptionSpec): string {
  const long = o.type === "boolean" ? `--${o.name}` : `--${o.name} <${camelCase(o.name)}>`;
  return o.alias ? `-${o.alias}, ${long}` : long;
}

export interface Parsed {
  readonly positionals: string[];
  readonly values: Record<string, unknown>;
  readonly given: Set<string>;
}

/** Parses the words after the command word(s) for command `name` of `cli`. */
export function parseWith(cli: CAC, name: string, args: readonly string[], specs: readonly OptionSpec[], passUnknown: boolean): Parsed {
  const { words, given } = canonicalize(args, specs, passUnknown);
  cli.parse(["kamal", "kamal", name, ...words], { run: false });
  if (!cli.matchedCommand || cli.matchedCommand.name !== name) throw new Error(`internal: cac did not match ${name}`);
  try {
    cli.matchedCommand.checkUnknownOptions();
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/`/g, "'") : String(e));
  }
  const raw = cli.options as Record<string, unknown>;
  const positionals = [...cli.args, ...((raw["--"] as string[] | undefined) ?? [])].map((a) => unmark(String(a)));
  const values: Record<string, unknown> = {};
  for (const spec of specs) values[camelCase(spec.name)] = readValue(spec, raw, given.has(spec.name));
  return { positionals, values, given };
}

function readValue(spec: OptionSpec, raw: Record<string, unknown>, given: boolean): unknown {
  if (!given) return spec.default ?? (spec.type === "boolean" ? false : spec.type === "array" ? undefined : undefined);
  if (spec.type === "boolean") {
    if (spec.name.startsWith("no-")) {
      const base = raw[camelCase(spec.name.slice(3))];
      if (base === false) return true;
    }
    return raw[camelCase(spec.name)] === true;
  }
  const v = raw[camelCase(spec.name)];
  const list = (Array.isArray(v) ? v : [v]).map((x) => unmark(String(x)));
  switch (spec.type) {
    case "numeric":
      return Number(list[list.length - 1]);
    case "array":
      return list;
    case "hash":
      return Object.fromEntries(list.map((kv) => [kv.slice(0, kv.indexOf(":")), kv.slice(kv.indexOf(":") + 1)]));
    default:
      return list[list.length - 1];
  }
}
