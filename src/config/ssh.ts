// SSH connection settings (configuration/ssh.rb) and SSHKit tuning (configuration/sshkit.rb).
import type { SecretLookup } from "./env.ts";
import { hashOrEmpty, isPresent, optionalNumber, optionalString, rubyToS, type RawHash } from "./values.ts";

export class SshConfig {
  readonly raw: RawHash;
  constructor(raw: unknown) { this.raw = hashOrEmpty(raw); }

  get user(): string { return "user" in this.raw ? rubyToS(this.raw.user) : "root"; }
  /** Kept as written (Kamal accepts a string or an integer); use portNumber for connecting. */
  get port(): string | number { const p = this.raw.port; return p === undefined || p === null ? 22 : typeof p === "number" ? p : rubyToS(p); }
  get portNumber(): number { return optionalNumber(this.port) ?? 22; }
  /** Jump host as `user@host` (a bare host means `root@host`). */
  get proxy(): string | undefined {
    const proxy = optionalString(this.raw.proxy);
    if (proxy === undefined) return undefined;
    return proxy.includes("@") ? proxy : `root@${proxy}`;
  }
  /** Used only when no `proxy` is set. */
  get proxyCommand(): string | undefined { return this.proxy === undefined ? optionalString(this.raw.proxy_command) : undefined; }
  get keysOnly(): boolean | undefined { return typeof this.raw.keys_only === "boolean" ? this.raw.keys_only : undefined; }
  get keys(): string[] | undefined { return Array.isArray(this.raw.keys) ? this.raw.keys.map(rubyToS) : undefined; }
  /** `key_data` entries: secret names, or (deprecated) inline PEM keys. */
  get keyDataEntries(): string[] | undefined { return Array.isArray(this.raw.key_data) ? this.raw.key_data.map(rubyToS) : undefined; }
  /** Resolved key data; an entry that is not a secret name is used inline (Kamal warns it is deprecated). */
  keyData(secrets: SecretLookup): string[] | undefined {
    return this.keyDataEntries?.map((entry) => (secrets.has(entry) ? secrets.get(entry) : entry));
  }
  /** true = default OpenSSH config files, false = none, string(s) = those files. */
  get config(): boolean | string | string[] | undefined {
    const c = this.raw.config;
    if (typeof c === "boolean") return c;
    if (Array.isArray(c)) return c.map(rubyToS);
    return c === undefined || c === null ? undefined : rubyToS(c);
  }
  get forwardAgent(): boolean | undefined { return typeof this.raw.forward_agent === "boolean" ? this.raw.forward_agent : undefined; }
  get logLevel(): string { return isPresent(this.raw.log_level) ? rubyToS(this.raw.log_level).replace(/^:/, "") : "fatal"; }
}

export class SshkitConfig {
  readonly raw: RawHash;
  constructor(raw: unknown) { this.raw = hashOrEmpty(raw); }
  get maxConcurrentStarts(): number { return optionalNumber(this.raw.max_concurrent_starts) ?? 30; }
  get poolIdleTimeout(): number { return optionalNumber(this.raw.pool_idle_timeout) ?? 900; }
  get dnsRetries(): number { return optionalNumber(this.raw.dns_retries) ?? 3; }
}

export class BootConfig {
  readonly raw: RawHash;
  private readonly hostCount: number;
  constructor(raw: unknown, hostCount: number) { this.raw = hashOrEmpty(raw); this.hostCount = hostCount; }
  /** Hosts booted at once: an integer, or "N%" of ALL hosts (accessories included), at least 1. */
  get limit(): number | undefined {
    const limit = this.raw.limit;
    if (typeof limit === "string" && limit.endsWith("%")) {
      return Math.max(Math.floor((this.hostCount * (Number.parseInt(limit, 10) || 0)) / 100), 1);
    }
    return optionalNumber(limit);
  }
  /** Seconds slept after each group. */
  get wait(): number | undefined { return optionalNumber(this.raw.wait); }
  get parallelRoles(): boolean { return this.raw.parallel_roles === true; }
}
