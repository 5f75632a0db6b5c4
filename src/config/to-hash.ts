// `kamal config`: Configuration#to_h (§1.2) and its YAML rendering. Secrets are shown as [REDACTED].
import { stringify } from "yaml";
import type { Config } from "./config.ts";
import { kamalArgumentize } from "./kamal-args.ts";
import { emitPsychYaml } from "./psych-yaml.ts";
import { isHash, type RawHash } from "./values.ts";
import { RubySymbol } from "./yaml.ts";

export const REDACTED = "[REDACTED]";

/** Raw YAML values made plain: Ruby symbols become their names, hashes and arrays are copied. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (isHash(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  if (typeof value === "object" && value !== null && !(value instanceof Date)) return String(value);
  return value;
}

function compact(hash: RawHash): RawHash {
  return Object.fromEntries(Object.entries(hash).filter(([, v]) => v !== undefined && v !== null));
}

/** Net::SSH options as Kamal shows them (`ssh_options`), in Kamal's key order. key_data is redacted. */
function sshOptions(config: Config): RawHash {
  const ssh = config.ssh;
  return compact({
    user: ssh.user,
    port: ssh.port,
    proxy: ssh.proxy ?? ssh.proxyCommand,
    keepalive: true,
    keepalive_interval: 30,
    keys_only: ssh.keysOnly,
    keys: ssh.keys,
    key_data: ssh.keyDataEntries?.map(() => REDACTED),
    config: ssh.config,
    forward_agent: ssh.forwardAgent,
    log_level: ssh.logLevel,
  });
}

/** Configuration#to_h: roles, hosts, primary_host, version, repository, absolute_image, service_with_version,
 *  volume_args, ssh_options, sshkit, builder, accessories, logging (nil values dropped). */
export function configToHash(config: Config): RawHash {
  return compact({
    roles: config.roleNames,
    hosts: config.allHosts,
    primary_host: config.primaryHost,
    version: config.version,
    repository: config.repository,
    absolute_image: config.absoluteImage,
    service_with_version: config.serviceWithVersion,
    volume_args: config.volumes.length ? kamalArgumentize("--volume", config.volumes) : [],
    ssh_options: sshOptions(config),
    sshkit: plain(config.sshkit.raw),
    builder: plain(config.builder.raw),
    accessories: config.raw.accessories === undefined ? undefined : plain(config.raw.accessories),
    logging: config.logging.kamalArgs,
  });
}

export interface RenderConfigOptions {
  /** "plain" (default): `roles:`; "kamal": Ruby-symbol keys as Kamal prints them (`:roles:`, `:log_level: :fatal`). */
  keys?: "plain" | "kamal";
}

/** The YAML printed by `kamal config`. */
export function renderConfigYaml(config: Config, options: RenderConfigOptions = {}): string {
  const hash = configToHash(config);
  if (options.keys !== "kamal") return "---\n" + stringify(hash, { lineWidth: 0, indentSeq: false });
  // Byte-for-byte what Kamal prints: symbol keys at the top level and in ssh_options, the raw YAML values
  // (Ruby symbols kept) for sshkit/builder/accessories, and the default log level as the symbol :fatal.
  const symbolKeyed = (h: RawHash) => new Map(Object.entries(h).map(([k, v]) => [new RubySymbol(k), v] as [unknown, unknown]));
  const ssh = { ...(hash.ssh_options as RawHash) };
  ssh.log_level = "log_level" in config.ssh.raw ? config.ssh.raw.log_level : new RubySymbol("fatal");
  const raw = config.raw;
  const kamal: RawHash = {
    ...hash,
    ssh_options: symbolKeyed(ssh),
    sshkit: raw.sshkit ?? {},
    builder: raw.builder ?? {},
    ...(hash.accessories !== undefined ? { accessories: raw.accessories } : {}),
  };
  return emitPsychYaml(symbolKeyed(kamal));
}
