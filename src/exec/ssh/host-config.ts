// Resolve how to reach a host: explicit options win, then ~/.ssh/config (HostName, User, Port, IdentityFile,
// IdentitiesOnly, ProxyJump, ProxyCommand), then defaults.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import SSHConfig from "ssh-config";
import { SSH_DEFAULTS, type SshOptions } from "./options.ts";

export interface ResolvedHost {
  /** The name used by Kamal (config/--hosts) and in messages. */
  alias: string;
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  /** Jump hosts in order ("user@host:port" specs), from options.proxy or ProxyJump. */
  jumps: string[];
  proxyCommand?: string;
}

export function expandHome(path: string, home: string): string {
  return path === "~" ? home : path.startsWith("~/") ? join(home, path.slice(2)) : path;
}

export function configFiles(opt: SshOptions["config"], home: string): string[] {
  if (opt === false) return [];
  if (opt === undefined || opt === true) return [join(home, ".ssh", "config")];
  return (Array.isArray(opt) ? opt : [opt]).map((p) => expandHome(p, home));
}

/** Parsed ~/.ssh/config files (missing files are skipped). */
export function loadSshConfig(files: string[]): SSHConfig[] {
  const out: SSHConfig[] = [];
  for (const f of files) {
    let text: string;
    try { text = readFileSync(f, "utf8"); } catch { continue; }
    out.push(SSHConfig.parse(text));
  }
  return out;
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export function resolveHost(alias: string, opts: SshOptions, configs: SSHConfig[], home: string): ResolvedHost {
  // The first obtained value wins across files, like OpenSSH.
  const computed: Record<string, string | string[]> = {};
  const identity: string[] = [];
  for (const c of configs) {
    const r = c.compute(alias, { ignoreCase: true }) as Record<string, string | string[]>;
    for (const [k, v] of Object.entries(r)) {
      const key = k.toLowerCase();
      if (key === "identityfile") identity.push(...(Array.isArray(v) ? v : [v]));
      else if (!(key in computed)) computed[key] = v;
    }
  }
  const hostname = (first(computed.hostname) ?? alias).replace(/%h/g, alias);
  const jumpSpec = opts.proxy ?? first(computed.proxyjump);
  const proxyCommand = opts.proxyCommand ?? first(computed.proxycommand);
  return {
    alias,
    hostname,
    port: opts.port ?? Number(first(computed.port) ?? SSH_DEFAULTS.port),
    user: opts.user ?? first(computed.user) ?? SSH_DEFAULTS.user,
    identityFiles: identity.map((p) => expandHome(p, home)),
    identitiesOnly: (first(computed.identitiesonly) ?? "").toLowerCase() === "yes",
    jumps: jumpSpec && jumpSpec.toLowerCase() !== "none" ? jumpSpec.split(",").map((s) => s.trim()) : [],
    proxyCommand: proxyCommand && proxyCommand.toLowerCase() !== "none" ? proxyCommand : undefined,
  };
}

/** %h %p %r %% in a ProxyCommand. */
export function expandProxyCommand(command: string, h: ResolvedHost): string {
  return command.replace(/%([hpr%])/g, (_, c: string) => (c === "h" ? h.hostname : c === "p" ? String(h.port) : c === "r" ? h.user : "%"));
}
