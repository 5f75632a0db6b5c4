// Help texts in cobra's layout.
import { flagUsage } from "./flags.ts";
import type { CommandSpec } from "./specs.ts";

export function rootHelp(specs: CommandSpec[]): string {
  const top = specs.filter((s) => s.path.length === 1).map((s) => [s.path[0]!, s.short] as const);
  top.push(["help", "Help about any command"], ["rollout", "Control rollout deployments"]);
  top.sort((a, b) => a[0].localeCompare(b[0]));
  return "HTTP proxy for zero downtime deployments\n\nUsage:\n  kamal-proxy [command]\n\nAvailable Commands:\n" +
    top.map(([n, s]) => `  ${n.padEnd(11)} ${s}`).join("\n") +
    "\n\nFlags:\n  -h, --help   help for kamal-proxy\n\nUse \"kamal-proxy [command] --help\" for more information about a command.\n";
}

export function rolloutHelp(specs: CommandSpec[]): string {
  const subs = specs.filter((s) => s.path[0] === "rollout");
  return "Control rollout deployments\n\nUsage:\n  kamal-proxy rollout [command]\n\nAvailable Commands:\n" +
    subs.map((s) => `  ${s.path[1]!.padEnd(11)} ${s.short}`).join("\n") +
    "\n\nFlags:\n  -h, --help   help for rollout\n\nUse \"kamal-proxy rollout [command] --help\" for more information about a command.\n";
}

export function commandHelp(spec: CommandSpec): string {
  const parent = spec.path.length > 1 ? `${spec.path[0]} ` : "";
  const aliases = spec.aliases ? `\nAliases:\n  ${[spec.path.at(-1), ...spec.aliases].join(", ")}\n` : "";
  return `${spec.short}\n\nUsage:\n  kamal-proxy ${parent}${spec.use}${spec.flags.length ? " [flags]" : ""}\n${aliases}\nFlags:\n${flagUsage(spec.flags)}\n`;
}
