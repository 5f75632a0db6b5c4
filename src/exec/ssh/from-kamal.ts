// Maps Kamal's `ssh:` and `sshkit:` sections (as written in deploy.yml) to SshOptions, so the CLI does not
// have to know the pool's option names. Plain input shapes; nothing here imports the config layer.
import { ConfigurationError } from "../../errors.ts";
import type { SshOptions } from "./options.ts";

export interface KamalSshSection {
  user?: string;
  port?: number | string;
  proxy?: string;
  proxy_command?: string;
  keys_only?: boolean;
  keys?: string[];
  /** Already resolved: the secret VALUES (Kamal lists secret names). */
  key_data?: string[];
  config?: boolean | string | string[];
  forward_agent?: boolean;
  log_level?: string;
}

export interface KamalSshkitSection {
  max_concurrent_starts?: number;
  pool_idle_timeout?: number;
  dns_retries?: number;
}

export function sshOptionsFromKamal(ssh: KamalSshSection = {}, sshkit: KamalSshkitSection = {}, extra: Partial<SshOptions> = {}): SshOptions {
  const opts: SshOptions = {
    user: ssh.user ?? "root",
    port: ssh.port === undefined ? 22 : portNumber(ssh.port),
    // Kamal: a proxy without a user is root@host.
    proxy: ssh.proxy === undefined ? undefined : ssh.proxy.includes("@") ? ssh.proxy : `root@${ssh.proxy}`,
    proxyCommand: ssh.proxy_command,
    keysOnly: ssh.keys_only,
    keys: ssh.keys,
    keyData: ssh.key_data,
    config: ssh.config,
    forwardAgent: ssh.forward_agent,
    maxConcurrentStarts: sshkit.max_concurrent_starts,
    dnsRetries: sshkit.dns_retries,
    ...extra,
  };
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as SshOptions;
}

/** `ssh/port` as a number; Kamal takes any string here and fails later at connect time, we fail with the key's name. */
function portNumber(value: number | string): number {
  const port = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigurationError(`ssh/port: ${JSON.stringify(value)} is not a port number; use a whole number from 1 to 65535`);
  }
  return port;
}
