// Resolve how to reach a host: explicit options win, then ~/.ssh/config (HostName, User, Port, IdentityFile,
// IdentitiesOnly, ProxyJump, ProxyCommand), then defaults.
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { fnmatch } from "../fnmatch.ts";
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
  // Net::SSH's defaults: the user's file, then the system-wide ones.
  if (opt === undefined || opt === true) return [join(home, ".ssh", "config"), "/etc/ssh_config", "/etc/ssh/ssh_config"];
  return (Array.isArray(opt) ? opt : [opt]).map((p) => expandHome(p, home));
}

/** Parsed ~/.ssh/config files (missing files are skipped; Include directives are expanded in place). */
export function loadSshConfig(files: string[], home = ""): SSHConfig[] {
  const out: SSHConfig[] = [];
  for (const f of files) {
    const text = readWithIncludes(f, home, 0);
    if (text !== undefined) out.push(SSHConfig.parse(text));
  }
  return out;
}

/** OpenSSH `Include`: relative paths are from ~/.ssh, `*` globs in the file name, at most 16 levels deep. */
function readWithIncludes(file: string, home: string, depth: number): string | undefined {
  let text: string;
  try { text = readFileSync(file, "utf8"); } catch { return undefined; }
  if (depth >= 16) return text;
  return text
    .split("\n")
    .map((line) => {
      const m = /^\s*include\s+(.+?)\s*$/i.exec(line);
      if (!m) return line;
      return m[1].split(/\s+/).flatMap((spec) => expandInclude(spec, home))
        .map((path) => readWithIncludes(path, home, depth + 1) ?? "").join("\n");
    })
    .join("\n");
}

function expandInclude(spec: string, home: string): string[] {
  const path = expandHome(spec.replace(/^"|"$/g, ""), home);
  const full = isAbsolute(path) ? path : join(home, ".ssh", path);
  const name = basename(full);
  if (!/[*?[]/.test(name)) return [full];
  try {
    return readdirSync(dirname(full)).filter((f) => fnmatch(name, f)).sort().map((f) => join(dirname(full), f));
  } catch {
    return [];
  }
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
