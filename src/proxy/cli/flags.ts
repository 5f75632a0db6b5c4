// A small pflag-compatible flag parser: the same syntax and the same error texts as Go's cobra/pflag.
import { DurationError, formatDuration, parseDuration } from "../duration.ts";

export type FlagKind = "bool" | "string" | "int" | "duration" | "strings";
export type FlagValue = boolean | string | number | string[];

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  default: FlagValue;
  usage: string;
  short?: string;
}

export class FlagError extends Error {}

export interface ParsedFlags {
  values: Map<string, FlagValue>;
  changed: Set<string>;
  args: string[];
  help: boolean;
}

export function parseGoBool(text: string): boolean | null {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return null;
}

function parseGoInt(text: string): number | null {
  return /^[+-]?\d+$/.test(text) ? Number(text) : null;
}

function convert(spec: FlagSpec, text: string, previous: FlagValue, firstTime: boolean): FlagValue {
  const invalid = (reason: string) =>
    new FlagError(`invalid argument "${text}" for "${spec.short ? `-${spec.short}, ` : ""}--${spec.name}" flag: ${reason}`);
  switch (spec.kind) {
    case "bool": {
      const b = parseGoBool(text);
      if (b === null) throw invalid(`strconv.ParseBool: parsing "${text}": invalid syntax`);
      return b;
    }
    case "int": {
      const n = parseGoInt(text);
      if (n === null) throw invalid(`strconv.ParseInt: parsing "${text}": invalid syntax`);
      return n;
    }
    case "duration":
      try {
        return parseDuration(text);
      } catch (e) {
        if (e instanceof DurationError) throw invalid(e.message);
        throw e;
      }
    case "strings": {
      const items = text === "" ? [] : text.split(",").map((s) => s.replace(/^"(.*)"$/, "$1"));
      return firstTime ? items : [...(previous as string[]), ...items];
    }
    default:
      return text;
  }
}

export function parseFlags(specs: FlagSpec[], argv: string[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values = new Map<string, FlagValue>(specs.map((s) => [s.name, s.default]));
  const changed = new Set<string>();
  const args: string[] = [];
  let help = false;
  const set = (spec: FlagSpec, text: string) => {
    values.set(spec.name, convert(spec, text, values.get(spec.name)!, !changed.has(spec.name)));
    changed.add(spec.name);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (name === "help") {
        help = true;
        continue;
      }
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(spec, arg.slice(eq + 1));
      else if (spec.kind === "bool") set(spec, "true");
      else if (i + 1 < argv.length) set(spec, argv[++i]!);
      else throw new FlagError(`flag needs an argument: --${name}`);
    } else if (arg.startsWith("-") && arg.length > 1) {
      const letter = arg[1]!;
      if (letter === "h") {
        help = true;
        continue;
      }
      const spec = byShort.get(letter);
      if (!spec) throw new FlagError(`unknown shorthand flag: '${letter}' in ${arg}`);
      const inline = arg.slice(2).replace(/^=/, "");
      if (inline !== "") set(spec, inline);
      else if (spec.kind === "bool") set(spec, "true");
      else if (i + 1 < argv.length) set(spec, argv[++i]!);
      else throw new FlagError(`flag needs an argument: '${letter}' in -${letter}`);
    } else {
      args.push(arg);
    }
  }
  return { values, changed, args, help };
}

function defaultText(spec: FlagSpec): string {
  switch (spec.kind) {
    case "bool":
      return spec.default ? " (default true)" : "";
    case "duration":
      return ` (default ${formatDuration(spec.default as number)})`;
    case "int":
      return spec.default === 0 ? "" : ` (default ${spec.default})`;
    case "strings":
      return (spec.default as string[]).length ? ` (default [${(spec.default as string[]).join(",")}])` : "";
    default:
      return spec.default === "" ? "" : ` (default "${spec.default}")`;
  }
}

const KIND_LABEL: Record<FlagKind, string> = { bool: "", string: " string", int: " int", duration: " duration", strings: " strings" };

export function flagUsage(specs: FlagSpec[]): string {
  const rows = specs.map((s) => [`${s.short ? `-${s.short}, ` : "    "}--${s.name}${KIND_LABEL[s.kind]}`, s.usage + defaultText(s)]);
  rows.push(["-h, --help", "help"]);
  const width = Math.max(...rows.map((r) => r[0]!.length));
  return rows.map(([a, b]) => `  ${a!.padEnd(width)}   ${b}`).join("\n");
}
