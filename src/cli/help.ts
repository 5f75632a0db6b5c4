// Thor-style help texts: `kamal help`, `kamal help COMMAND`, `kamal GROUP help [SUBCOMMAND]`.
import { paramUsage, type CommandDef, type GroupDef, type Registration } from "./define.ts";
import { GLOBAL_OPTIONS, type OptionSpec } from "./options.ts";

function table(rows: Array<[string, string]>): string {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  # ${right}`).join("\n");
}

function commandUsage(prefix: string, c: CommandDef): string {
  return [prefix, c.name, ...c.params.map(paramUsage)].join(" ");
}

function optionLeft(o: OptionSpec): string {
  const short = o.alias ? `-${o.alias}, ` : "    ";
  if (o.type === "boolean") {
    return o.name.startsWith("no-") ? `${short}[--${o.name}]` : `${short}[--${o.name}], [--no-${o.name}]`;
  }
  const banner = o.banner ?? o.name.toUpperCase().replace(/-/g, "_");
  const value = o.type === "array" || o.type === "hash" ? `${banner}...` : banner;
  return o.required ? `${short}--${o.name}=${value}` : `${short}[--${o.name}=${value}]`;
}

function optionsBlock(title: string, options: readonly OptionSpec[]): string {
  const visible = options.filter((o) => !o.hidden);
  if (visible.length === 0) return "";
  const rows: Array<[string, string]> = visible.map((o) => {
    const dflt = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : "";
    return [optionLeft(o), o.desc + dflt];
  });
  return `${title}:\n${table(rows)}\n`;
}

export function mainHelp(program: string, registry: readonly Registration[]): string {
  const rows: Array<[string, string]> = [];
  for (const r of registry) {
    if (r.kind === "group") rows.push([`${program} ${r.name} SUBCOMMAND`, r.desc]);
    else if (!r.hidden) rows.push([commandUsage(program, r), r.desc]);
  }
  rows.push([`${program} help [COMMAND]`, "Describe available commands or one specific command"]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return `Commands:\n${table(rows)}\n\n${optionsBlock("Options", GLOBAL_OPTIONS)}`;
}

export function groupHelp(program: string, group: GroupDef): string {
  const prefix = `${program} ${group.name}`;
  const rows: Array<[string, string]> = group.commands.filter((c) => !c.hidden).map((c) => [commandUsage(prefix, c), c.desc]);
  rows.push([`${prefix} help [COMMAND]`, "Describe subcommands or one specific subcommand"]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return `Commands:\n${table(rows)}\n\n${optionsBlock("Options", GLOBAL_OPTIONS)}`;
}

export function commandHelp(program: string, path: readonly string[], c: CommandDef): string {
  const usage = commandUsage([program, ...path.slice(0, -1)].join(" "), c);
  const parts = [`Usage:\n  ${usage}\n`, optionsBlock("Options", c.options), optionsBlock("Global options", GLOBAL_OPTIONS), `${c.long ?? c.desc}\n`];
  return parts.filter((p) => p !== "").join("\n");
}
