// Options of the SSH pool. The CLI maps config.ssh / config.sshkit into this; nothing here reads Kamal config.

export type StrictHostKeyChecking = "accept-new" | "yes" | "no";

export interface SshOptions {
  /** Login user. Unset: ~/.ssh/config's User, else "root". */
  user?: string;
  /** Port. Unset: ~/.ssh/config's Port, else 22. */
  port?: number;
  /** Private key files (Kamal `ssh.keys`). */
  keys?: string[];
  /** Private keys as PEM/OpenSSH text (Kamal `ssh.key_data`, values already resolved from secrets). */
  keyData?: string[];
  /** Only the given keys: no agent, no default identity files (Kamal `ssh.keys_only`). */
  keysOnly?: boolean;
  /** ssh-agent socket; default env SSH_AUTH_SOCK. false disables the agent. */
  agent?: string | false;
  /** Forward the ssh-agent to the hosts (Kamal `ssh.forward_agent`); needs an agent socket. */
  forwardAgent?: boolean;
  /** OpenSSH config: true = ~/.ssh/config, false = none, string/array = those files. Default true. */
  config?: boolean | string | string[];
  /** Jump host, "host" or "user@host[:port]" (no user means root, like Kamal `ssh.proxy`). */
  proxy?: string;
  /** Command whose stdin/stdout carry the connection, with %h %p %r replaced (Kamal `ssh.proxy_command`). */
  proxyCommand?: string;
  /** Host key policy; default "accept-new" (unknown keys are added, changed keys refused). */
  strictHostKeyChecking?: StrictHostKeyChecking;
  /** known_hosts file; default <home>/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Write new known_hosts entries hashed (|1|salt|hash), like HashKnownHosts yes. Default false. */
  hashKnownHosts?: boolean;
  /** Semaphore on concurrent connection starts (Kamal sshkit.max_concurrent_starts). Default 30. */
  maxConcurrentStarts?: number;
  /** Retries on DNS resolver errors (Kamal sshkit.dns_retries). Default 3. */
  dnsRetries?: number;
  /** Keepalive interval; default 30000 ms. */
  keepaliveIntervalMs?: number;
  /** Handshake timeout; default 20000 ms. */
  connectTimeoutMs?: number;
  /** Concurrent exec channels per connection (sshd's MaxSessions is 10). Default 8. */
  maxChannelsPerHost?: number;
  /** Home directory for ~ expansion (~/.ssh/config, known_hosts, default keys). Default: env HOME. */
  home?: string;
  /** Environment to read HOME and SSH_AUTH_SOCK from. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Name resolver for direct TCP connections (node:net's `lookup` option); default the system resolver. */
  lookup?: import("node:net").LookupFunction;
  /** Warnings (DNS retries, unreadable keys). */
  onWarning?: (message: string) => void;
}

export const SSH_DEFAULTS = {
  user: "root",
  port: 22,
  maxConcurrentStarts: 30,
  dnsRetries: 3,
  keepaliveIntervalMs: 30_000,
  connectTimeoutMs: 20_000,
  maxChannelsPerHost: 8,
  strictHostKeyChecking: "accept-new" as StrictHostKeyChecking,
};

/** Parse "user@host:port" / "host" (jump host spec). */
export function parseHostSpec(spec: string, defaultUser: string): { user: string; host: string; port?: number } {
  const at = spec.lastIndexOf("@");
  const user = at >= 0 ? spec.slice(0, at) : defaultUser;
  let host = at >= 0 ? spec.slice(at + 1) : spec;
  let port: number | undefined;
  const m = /^\[(.+)\]:(\d+)$/.exec(host) ?? /^([^:]+):(\d+)$/.exec(host);
  if (m) { host = m[1]; port = Number(m[2]); }
  return { user, host, port };
}
