// The section validators that Kamal runs while it builds each configuration object
// (lib/kamal/configuration/validator/*.rb plus the checks inside the objects' constructors).

import * as v from "valibot";
import {
  ACCESSORY_EXAMPLE, ALIAS_EXAMPLE, BUILDER_EXAMPLE, BUILT_IN_COMMANDS, LOGGING_EXAMPLE, OUTPUT_EXAMPLE, PROXY_EXAMPLE,
  REGISTRY_EXAMPLE, ROLE_EXAMPLE,
} from "../schema/examples.ts";
import { Checker, isHash, isPresent, valueText } from "./example.ts";

type Hash = Record<string, unknown>;

/** `servers`: nil, a host list, or a hash of roles (roles are validated one by one). */
export function validateServers(c: Checker, servers: unknown): void {
  // Kamal's Servers validator also accepts nil here, but the root check has already rejected anything else.
  if (Array.isArray(servers)) c.servers(servers);
}

/** Role names as Kamal derives them: `web` for a host list, the sorted keys of a role hash. */
export function roleNames(servers: unknown): string[] {
  if (Array.isArray(servers)) return ["web"];
  if (isHash(servers)) return Object.keys(servers).sort();
  return [];
}

export function validateRole(c: Checker, name: string, roleConfig: unknown, primaryRole: string): void {
  if (!c.checkType(roleConfig, "array", "hash")) return;
  if (Array.isArray(roleConfig)) c.servers(roleConfig);
  else if (isHash(roleConfig)) {
    c.againstExample(roleConfig, ROLE_EXAMPLE);
    c.reservedLabels(roleConfig.labels);
    c.dockerOptions(roleConfig.options);
  }
  const specializations: Hash = isHash(roleConfig) ? roleConfig : {};
  const env = specializations.env ?? {};
  if (isHash(env)) validateEnv(c.at("env"), env);
  const logging = specializations.logging ?? {};
  if (isHash(logging)) validateLogging(c.at("logging"), logging);
  const proxy = specializations.proxy;
  const runsProxy = name === primaryRole ? proxy !== false : isTruthy(proxy);
  if (runsProxy) validateProxy(c.at("proxy"), proxy === true || proxy === null || proxy === undefined ? {} : proxy);
}

function isTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/** Registry: `server` by example; `username`/`password` required (unless `localhost:PORT`), string or [SECRET]. */
export function validateRegistry(c: Checker, registry: unknown): void {
  if (!isHash(registry)) { c.checkType(registry, "hash"); return; }
  const { username: _u, password: _p, ...rest } = registry;
  const { username: _eu, password: _ep, ...example } = REGISTRY_EXAMPLE;
  c.againstExample(rest, example);
  const server = registry.server;
  const local = typeof server === "string" && /^localhost[:$]/.test(server);
  if (local) return;
  for (const key of ["username", "password"]) {
    const value = registry[key];
    const at = c.at(key);
    if (!isPresent(value)) at.error("is required");
    else if (!(typeof value === "string" || (Array.isArray(value) && value.length === 1 && typeof value[0] === "string"))) {
      at.error("should be a string or an array with one string (for secret lookup)");
    }
  }
}

export function validateAccessory(c: Checker, name: string, accessory: unknown, roles: string[]): void {
  if (!c.againstExample(accessory, ACCESSORY_EXAMPLE)) return;
  const config = accessory as Hash;
  const hostKeys = Object.keys(config).filter((k) => ["host", "hosts", "role", "roles", "tag", "tags"].includes(k));
  if (hostKeys.length !== 1) c.error("specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`");
  c.reservedLabels(config.labels);
  c.dockerOptions(config.options);
  if (Array.isArray(config.roles)) {
    const missing = config.roles.filter((role) => !roles.includes(valueText(role)));
    if (missing.length) c.error(`unknown roles ${missing.join(", ")}`);
  } else if (isTruthy(config.role) && !roles.includes(valueText(config.role))) {
    c.error(`unknown role ${valueText(config.role)}`);
  }
  const env = config.env ?? {};
  if (isHash(env)) validateEnv(c.at("env"), env);
  if (isPresent(config.proxy)) validateProxy(c.at("proxy"), config.proxy);
  if (isPresent(config.registry)) validateRegistry(c.at("registry"), config.registry);
}

export function validateAlias(c: Checker, name: string, command: unknown): void {
  c.againstExample(command, ALIAS_EXAMPLE);
  if (!/^[a-z0-9_-]+$/.test(name)) {
    c.error(`Invalid alias name: '${name}'. Must only contain lowercase letters, alphanumeric, hyphens and underscores.`);
  }
  if (BUILT_IN_COMMANDS.includes(name)) c.error(`Alias '${name}' conflicts with a built-in command.`);
}

export function validateBuilder(c: Checker, builder: Hash): void {
  if (!c.againstExample(builder, BUILDER_EXAMPLE)) return;
  const cache = builder.cache;
  if (isHash(cache) && isTruthy(cache.type) && !["gha", "registry"].includes(cache.type as string)) {
    c.error(`Invalid cache type: ${valueText(cache.type)}`);
  }
  if (!isPresent(builder.arch)) c.error("Builder arch not set");
  if (isTruthy(builder.pack) && Array.isArray(builder.arch) && builder.arch.length > 1) {
    c.error("buildpacks only support building for one arch");
  }
  if (builder.local === false && !isPresent(builder.remote)) c.error("Cannot disable local builds, no remote is set");
}

const ENV_SPECIAL_KEYS = ["clear", "secret", "tags"];

/** env: a hash of clear values, or `clear`/`secret`(/`tags` at the root only). */
export function validateEnv(c: Checker, env: Hash): void {
  const keys = Object.keys(env);
  if (!keys.some((k) => ENV_SPECIAL_KEYS.includes(k))) { c.hashOf(env, "string"); return; }
  const unknown = keys.filter((k) => !ENV_SPECIAL_KEYS.includes(k));
  if (unknown.length) c.unknownKeys(unknown);
  if ("clear" in env) c.at("clear").hashOf(env.clear, "string");
  if ("secret" in env) c.at("secret").arrayOf(env.secret, "string");
  if (!("tags" in env)) return;
  if (c.context !== "env") { c.error("tags are only allowed in the root env"); return; }
  const tags = c.at("tags");
  if (!tags.checkType(env.tags, "hash")) return;
  for (const [tag, value] of Object.entries(env.tags as Hash)) {
    const at = tags.at(tag);
    if (at.checkType(value, "hash")) validateEnv(at, value as Hash);
  }
}

export function validateLogging(c: Checker, logging: unknown): void {
  c.againstExample(logging, LOGGING_EXAMPLE);
}

const IpAddress = v.pipe(v.string(), v.ip());

/** `Invalid publish IP address: <ip>` for each entry that is not an IPv4/IPv6 address (proxy boot_config). */
export function publishIpProblems(ips: unknown[]): string[] {
  return ips.filter((ip) => !v.is(IpAddress, ip)).map((ip) => `Invalid publish IP address: ${valueText(ip)}`);
}

/** proxy blocks (root, role and accessory): shape by example, then host/ssl/run rules. */
export function validateProxy(c: Checker, proxy: unknown): void {
  if (proxy === null || proxy === undefined) return;
  if (!c.againstExample(proxy, PROXY_EXAMPLE)) return;
  const config = proxy as Hash;
  if (!isPresent(config.host) && !isPresent(config.hosts) && isTruthy(config.ssl)) c.error("Must set a host to enable automatic SSL");
  if ("host" in config && "hosts" in config) c.error("Specify one of 'host' or 'hosts', not both");
  if (isHash(config.ssl)) {
    const cert = isPresent(config.ssl.certificate_pem);
    const key = isPresent(config.ssl.private_key_pem);
    if (cert && !key) c.error("Missing private_key_pem setting (required when certificate_pem is present)");
    if (key && !cert) c.error("Missing certificate_pem setting (required when private_key_pem is present)");
  }
  const run = config.run;
  if (!isHash(run)) return;
  // Kamal checks the IPs of `config["bind_ips"]` (the proxy block, where that key is unknown) instead of
  // `run["bind_ips"]`, so invalid run.bind_ips pass. Kept as it is; see publishIpProblems for the real check.
  if (run.publish === false && (isPresent(run.bind_ips) || isPresent(run.http_port) || isPresent(run.https_port))) {
    c.error("Cannot set http_port, https_port or bind_ips when publish is false");
  }
}

/** output: by example, then each logger's required setting (Kamal raises ArgumentError for these). */
export function validateOutput(c: Checker, output: Hash): void {
  if (Object.keys(output).length === 0) return;
  const before = c.problems.length;
  c.againstExample(output, OUTPUT_EXAMPLE);
  if (c.problems.length > before) return;
  const root = new Checker(c.problems, "");
  const settings = (value: unknown): Hash => (isHash(value) ? value : {});
  for (const [key, value] of Object.entries(output)) {
    if (key === "otel" && !isTruthy(settings(value).endpoint)) root.error("OTel endpoint is required", "argument");
    if (key === "file" && !isTruthy(settings(value).path)) root.error("file path is required", "argument");
  }
}
