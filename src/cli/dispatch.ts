// Two-level dispatch: `kamal <command>` or `kamal <group> <subcommand>`, each level parsed by one cac instance
// (argv.ts). Global options may appear anywhere. `help`, `--help` and aliases from deploy.yml are handled here.
import { NotImplementedYet } from "../errors.ts";
import { buildCac, firstPositional, parseWith, UsageError } from "./argv.ts";
import { commaList, verbosityOf, type CliContext, type CliIO, type GlobalOptions } from "./context.ts";
import { paramUsage, type CommandDef, type GroupDef, type Registration } from "./define.ts";
import { commandHelp, groupHelp, mainHelp } from "./help.ts";
import { camelCase, GLOBAL_OPTIONS, type OptionSpec } from "./options.ts";

const PROGRAM = "kamal";
const MAX_ALIAS_DEPTH = 10;

/** Looks up `name` in the `aliases:` of the raw config; undefined when there is no such alias. */
export type AliasLookup = (name: string, global: GlobalOptions, io: CliIO) => Promise<string | undefined>;

export interface CliSetup {
  readonly registry: readonly Registration[];
  readonly lookupAlias: AliasLookup;
}

/** Runs one kamal command line. Never throws: errors are printed and turned into the exit code. */
export async function runCli(args: readonly string[], io: CliIO, setup: CliSetup): Promise<number> {
  try {
    return await dispatch(args, io, setup, 0);
  } catch (err) {
    // Loaded only on failure: colours (picocolors) are not needed on the fast path.
    const { reportError, wantsVerbose } = await import("./report.ts");
    return reportError(err, io, wantsVerbose(args, io.env));
  }
}

function without(args: readonly string[], index: number): string[] {
  return [...args.slice(0, index), ...args.slice(index + 1)];
}

/** `--help` among the options; for `exec CMD...` only before CMD (so `kamal app exec ls --help` runs `ls --help`). */
function asksHelp(args: readonly string[], def: CommandDef): boolean {
  let end = args.indexOf("--");
  if (def.passUnknownOptions) {
    const cmdAt = firstPositional(args.filter((a) => a !== "--help"), [...GLOBAL_OPTIONS, ...def.options]);
    const helpAt = args.indexOf("--help");
    return helpAt >= 0 && (cmdAt < 0 || helpAt <= cmdAt) && (end < 0 || helpAt < end);
  }
  if (end < 0) end = args.length;
  return args.slice(0, end).includes("--help");
}

const normaliseName = (word: string): string => word.replace(/-/g, "_");

async function dispatch(args: readonly string[], io: CliIO, setup: CliSetup, depth: number): Promise<number> {
  const out = (text: string): number => {
    io.stdout.write(text.endsWith("\n") ? text : text + "\n");
    return 0;
  };
  // Thor maps a leading --help (and -h, when it is alone: otherwise -h is --hosts) to `help`.
  if (args[0] === "--help" || (args.length === 1 && args[0] === "-h")) return out(helpFor(args.slice(1), setup.registry));
  const at = firstPositional(args, GLOBAL_OPTIONS);
  if (at < 0) {
    // `kamal`, `kamal -h`, `kamal --help`, `kamal -v`: Thor prints the command list.
    return out(mainHelp(PROGRAM, setup.registry));
  }
  const word = args[at];
  const rest = without(args, at);
  if (word === "help") return out(helpFor(rest, setup.registry));

  let found = setup.registry.find((r) => r.name === word || r.name === normaliseName(word));
  if (!found) {
    // Thor's order: an exact command, else (here: first) an alias from deploy.yml, else a unique abbreviation.
    const expanded = await expandAlias(word, rest, io, setup, depth);
    if (expanded !== undefined) return dispatch(expanded, io, setup, depth + 1);
    const name = abbreviated(word, [...setup.registry.map((r) => r.name), "help"], `Could not find command "${word}".`);
    if (name === "help") return out(helpFor(rest, setup.registry));
    found = setup.registry.find((r) => r.name === name)!;
  }

  if (found.kind === "command") {
    if (asksHelp(rest, found)) return out(commandHelp(PROGRAM, [found.name], found));
    return runCommand([found.name], found, setup.registry.filter((r): r is CommandDef => r.kind === "command"), rest, io, setup, depth);
  }
  const subAt = firstPositional(rest, GLOBAL_OPTIONS);
  if (subAt < 0) return out(groupHelp(PROGRAM, found));
  const subWord = rest[subAt];
  const subRest = without(rest, subAt);
  if (subWord === "help") return out(groupHelpFor(found, subRest));
  const sub = findSub(found, subWord);
  if (asksHelp(subRest, sub)) return out(commandHelp(PROGRAM, [found.name, sub.name], sub));
  return runCommand([found.name, sub.name], sub, found.commands, subRest, io, setup, depth);
}

/** Thor's abbreviations: `kamal ver` is `kamal version`; an ambiguous prefix is an error. */
function abbreviated(word: string, names: readonly string[], notFound: string): string {
  const prefix = normaliseName(word);
  const matches = [...new Set(names.filter((n) => n.startsWith(prefix)))].sort();
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UsageError(`Ambiguous command ${word} matches [${matches.join(", ")}]`);
  throw new UsageError(notFound);
}

function findSub(group: GroupDef, word: string): CommandDef {
  const exact = group.commands.find((c) => c.name === word || c.name === normaliseName(word));
  if (exact) return exact;
  const name = abbreviated(word, group.commands.map((c) => c.name), `Could not find command "${word}" in "${group.name}" namespace.`);
  return group.commands.find((c) => c.name === name)!;
}

function helpFor(rest: readonly string[], registry: readonly Registration[]): string {
  const at = firstPositional(rest, GLOBAL_OPTIONS);
  if (at < 0) return mainHelp(PROGRAM, registry);
  const word = rest[at];
  const name = registry.find((r) => r.name === word || r.name === normaliseName(word))?.name
    ?? abbreviated(word, registry.map((r) => r.name), `Could not find command "${word}".`);
  const found = registry.find((r) => r.name === name)!;
  if (found.kind === "command") return commandHelp(PROGRAM, [found.name], found);
  return groupHelpFor(found, without(rest, at));
}

function groupHelpFor(group: GroupDef, rest: readonly string[]): string {
  const at = firstPositional(rest, GLOBAL_OPTIONS);
  if (at < 0) return groupHelp(PROGRAM, group);
  const sub = findSub(group, rest[at]);
  return commandHelp(PROGRAM, [group.name, sub.name], sub);
}

/** The words an alias from deploy.yml expands to (extra words appended), or undefined if `word` is no alias. */
async function expandAlias(word: string, rest: readonly string[], io: CliIO, setup: CliSetup, depth: number): Promise<string[] | undefined> {
  if (word.startsWith("-") || word.includes("/")) return undefined;
  const expansion = await setup.lookupAlias(word, parseGlobals(rest), io);
  if (expansion === undefined) return undefined;
  if (depth >= MAX_ALIAS_DEPTH) throw new UsageError(`Alias "${word}" expands into itself too many times`);
  const { shellsplit } = await import("../shell/shellwords.ts");
  return [...shellsplit(expansion), ...rest];
}

function globalsFrom(values: Record<string, unknown>): GlobalOptions {
  return {
    verbose: values.verbose === true,
    quiet: values.quiet === true,
    version: values.version as string | undefined,
    primary: values.primary === true,
    hosts: commaList(values.hosts as string | undefined),
    roles: commaList(values.roles as string | undefined),
    configFile: values.configFile as string,
    destination: values.destination as string | undefined,
    skipHooks: values.skipHooks === true,
    lockWait: values.lockWait === true,
    lockWaitTimeout: values.lockWaitTimeout as number,
    lockWaitInterval: values.lockWaitInterval as number,
  };
}

/** The global options found in `args`, other words ignored (used before the command is known, for aliases). */
export function parseGlobals(args: readonly string[]): GlobalOptions {
  const cli = buildCac(PROGRAM, [{ name: "_globals", paramsUsage: "[...words]", options: [] }], GLOBAL_OPTIONS);
  return globalsFrom(parseWith(cli, "_globals", args, GLOBAL_OPTIONS, true).values);
}

function checkParams(path: readonly string[], def: CommandDef, positionals: readonly string[]): Record<string, unknown> {
  const name = `${PROGRAM} ${path.join(" ")}`;
  const usage = [name, ...def.params.map(paramUsage)].join(" ");
  const required = def.params.filter((p) => p.required).length;
  const variadic = def.params.some((p) => p.variadic);
  if (positionals.length < required) {
    throw new UsageError(`"${name}" was called with ${positionals.length === 0 ? "no arguments" : `arguments ${JSON.stringify(positionals)}`}. Usage: "${usage}"`);
  }
  if (!variadic && positionals.length > def.params.length) {
    throw new UsageError(`"${name}" was called with arguments ${JSON.stringify(positionals)}. Usage: "${usage}"`);
  }
  const params: Record<string, unknown> = {};
  def.params.forEach((p, i) => {
    params[p.name] = p.variadic ? positionals.slice(i) : positionals[i];
  });
  return params;
}

function checkRequiredOptions(def: CommandDef, given: ReadonlySet<string>): void {
  const missing = def.options.filter((o) => o.required && !given.has(o.name)).map((o) => `'--${o.name}'`);
  if (missing.length > 0) throw new UsageError(`No value provided for required options ${missing.join(", ")}`);
}

async function runCommand(
  path: readonly string[], def: CommandDef, siblings: readonly CommandDef[], args: readonly string[],
  io: CliIO, setup: CliSetup, depth: number,
): Promise<number> {
  const cli = buildCac(PROGRAM, siblings.map((c) => ({ name: c.name, paramsUsage: "[...params]", options: c.options })), GLOBAL_OPTIONS);
  const specs: OptionSpec[] = [...GLOBAL_OPTIONS, ...def.options];
  const parsed = parseWith(cli, def.name, args, specs, def.passUnknownOptions);
  const params = checkParams(path, def, parsed.positionals);
  checkRequiredOptions(def, parsed.given);
  const global = globalsFrom(parsed.values);
  const ctx: CliContext = {
    ...io,
    global,
    verbosity: verbosityOf(global),
    commandPath: path,
    argv: args,
    invoke: (more) => dispatch(more, io, setup, depth + 1),
  };
  if (!def.run) throw new NotImplementedYet(path.join(" "));
  const commandGiven = new Set([...parsed.given].filter((n) => def.options.some((o) => o.name === n)));
  const options = Object.fromEntries(def.options.map((o) => [camelCase(o.name), parsed.values[camelCase(o.name)]]));
  const code = await def.run({ params, options, given: commandGiven }, ctx);
  return typeof code === "number" ? code : 0;
}
