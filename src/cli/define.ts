// How a command or a command group is declared. One group per file under commands/, listed in registry.ts.
import type { CliContext } from "./context.ts";
import type { OptionSpec, OptionValues, ParamSpec, ParamValues } from "./options.ts";

export interface CommandInput<O extends readonly OptionSpec[], P extends readonly ParamSpec[]> {
  readonly params: ParamValues<P>;
  readonly options: OptionValues<O>;
  /** Long names (kebab-case) of the command options given explicitly on the command line. */
  readonly given: ReadonlySet<string>;
}

/** A handler returns an exit code (0 when it returns nothing). Throw a KamalError for a user error. */
export type Handler<O extends readonly OptionSpec[], P extends readonly ParamSpec[]> = (
  input: CommandInput<O, P>,
  ctx: CliContext,
) => Promise<number | void> | number | void;

export interface CommandSpec<O extends readonly OptionSpec[], P extends readonly ParamSpec[]> {
  readonly name: string;
  readonly desc: string;
  /** Longer text for `kamal help <command>`. */
  readonly long?: string;
  readonly params?: P;
  readonly options?: O;
  readonly hidden?: boolean;
  /** Unknown dashed words become positional arguments (for `exec CMD...`). */
  readonly passUnknownOptions?: boolean;
  /** Omitted: the command exists but is not implemented yet in this build. */
  readonly run?: Handler<O, P>;
}

/** A command with its types erased, as the dispatcher stores it. */
export interface CommandDef {
  readonly kind: "command";
  readonly name: string;
  readonly desc: string;
  readonly long?: string;
  readonly params: readonly ParamSpec[];
  readonly options: readonly OptionSpec[];
  readonly hidden: boolean;
  readonly passUnknownOptions: boolean;
  readonly run?: (input: { params: Record<string, unknown>; options: Record<string, unknown>; given: ReadonlySet<string> }, ctx: CliContext) => Promise<number | void> | number | void;
}

export interface GroupDef {
  readonly kind: "group";
  readonly name: string;
  readonly desc: string;
  readonly commands: readonly CommandDef[];
}

export type Registration = CommandDef | GroupDef;

export function defineCommand<const O extends readonly OptionSpec[] = readonly [], const P extends readonly ParamSpec[] = readonly []>(
  spec: CommandSpec<O, P>,
): CommandDef {
  return {
    kind: "command",
    name: spec.name,
    desc: spec.desc,
    long: spec.long,
    params: spec.params ?? [],
    options: spec.options ?? [],
    hidden: spec.hidden ?? false,
    passUnknownOptions: spec.passUnknownOptions ?? false,
    run: spec.run as CommandDef["run"],
  };
}

export function defineGroup(name: string, desc: string, commands: readonly CommandDef[]): GroupDef {
  return { kind: "group", name, desc, commands };
}

/** `VERSION`, `[SECTION]`, `[CMD...]` as Thor prints them in usage lines. */
export function paramUsage(p: ParamSpec): string {
  const word = p.name.toUpperCase() + (p.variadic ? "..." : "");
  return p.required ? word : `[${word}]`;
}
