// validateConfig: Kamal's load-time validation of the raw configuration, with Kamal's messages, in the order
// Kamal builds the configuration objects (root -> servers/roles -> registry -> accessories -> aliases -> boot
// -> builder -> env -> logging -> output -> proxy -> ssh -> sshkit). Kamal stops at the first error; this
// reports every problem, one per line, so with a single problem the message is exactly Kamal's.
// The semantic checks that need derived values (configuration.rb#ensure_*) live in ../checks.ts.

import { ArgumentError, ConfigurationError } from "../../errors.ts";
import { BOOT_EXAMPLE, ROOT_EXAMPLE, SSH_EXAMPLE, SSHKIT_EXAMPLE } from "../schema/examples.ts";
import { Checker, isHash, type Problem } from "./example.ts";
import {
  roleNames, validateAccessory, validateAlias, validateBuilder, validateEnv, validateLogging, validateOutput, validateProxy,
  validateRegistry, validateRole, validateServers,
} from "./sections.ts";

export { isHash, isPresent, isStringish, type Problem } from "./example.ts";
export { publishIpProblems, roleNames } from "./sections.ts";

/** Ruby's `value || {}`. */
function orEmpty(value: unknown): unknown {
  return value === null || value === undefined || value === false ? {} : value;
}

/** Every validation problem with its kind (Kamal raises ArgumentError for a few), in Kamal's order. */
export function collectProblems(raw: unknown): Problem[] {
  const problems: Problem[] = [];
  const root = new Checker(problems, "", true);
  if (!root.againstExample(raw, ROOT_EXAMPLE)) return problems;
  const config = raw as Record<string, unknown>;
  const at = (path: string) => new Checker(problems, path);

  validateServers(at("servers"), config.servers);
  const roles = roleNames(config.servers);
  const primaryRole = typeof config.primary_role === "string" && config.primary_role ? config.primary_role : "web";
  const servers = config.servers;
  for (const name of roles) validateRole(at(`servers/${name}`), name, isHash(servers) ? servers[name] : {}, primaryRole);

  validateRegistry(at("registry"), orEmpty(config.registry));
  if (isHash(config.accessories)) {
    for (const [name, accessory] of Object.entries(config.accessories)) validateAccessory(at(`accessories/${name}`), name, accessory, roles);
  }
  if (isHash(config.aliases)) {
    for (const [name, command] of Object.entries(config.aliases)) validateAlias(at(`aliases/${name}`), name, command);
  }
  at("boot").againstExample(orEmpty(config.boot), BOOT_EXAMPLE);
  const builder = orEmpty(config.builder);
  if (at("builder").checkType(builder, "hash")) validateBuilder(at("builder"), builder as Record<string, unknown>);
  const env = orEmpty(config.env);
  if (isHash(env)) validateEnv(at("env"), env);
  validateLogging(at("logging"), orEmpty(config.logging));
  const output = orEmpty(config.output);
  if (at("output").checkType(output, "hash")) validateOutput(at("output"), output as Record<string, unknown>);
  validateProxy(at("proxy"), config.proxy);
  at("ssh").againstExample(orEmpty(config.ssh), SSH_EXAMPLE);
  at("sshkit").againstExample(orEmpty(config.sshkit), SSHKIT_EXAMPLE);
  return dedupe(problems);
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && seen.add(p.message));
}

/** The problem lines, e.g. `servers/web/hosts/0: should be a string or a hash`; empty when valid. */
export function validationProblems(raw: unknown): string[] {
  return collectProblems(raw).map((p) => p.message);
}

/** Throws when the raw configuration is invalid: all problem lines joined by "\n" (a single line = Kamal's message). */
export function validateConfig(raw: unknown): void {
  const problems = collectProblems(raw);
  if (problems.length === 0) return;
  const message = problems.map((p) => p.message).join("\n");
  throw problems[0].kind === "argument" ? new ArgumentError(message) : new ConfigurationError(message);
}
