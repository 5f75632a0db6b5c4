// Registry settings (configuration/registry.rb). `username`/`password` are literal strings or `[SECRET_NAME]`.
import type { SecretLookup } from "./env.ts";
import { hashOrEmpty, optionalString, rubyToS, type RawHash } from "./values.ts";

/** A credential as configured: a literal value, or the name of a secret to look up. */
export type Credential = { literal: string } | { secret: string } | undefined;

function credentialOf(value: unknown): Credential {
  if (Array.isArray(value)) return value.length ? { secret: rubyToS(value[0]) } : undefined;
  return value === undefined || value === null ? undefined : { literal: rubyToS(value) };
}

export class RegistryConfig {
  readonly raw: RawHash;
  constructor(raw: unknown) { this.raw = hashOrEmpty(raw); }

  /** e.g. `ghcr.io` or `localhost:5555`; undefined = Docker Hub. */
  get server(): string | undefined { return optionalString(this.raw.server); }
  get usernameSource(): Credential { return credentialOf(this.raw.username); }
  get passwordSource(): Credential { return credentialOf(this.raw.password); }
  username(secrets: SecretLookup): string | undefined { return resolve(this.usernameSource, secrets); }
  password(secrets: SecretLookup): string | undefined { return resolve(this.passwordSource, secrets); }

  /** Kamal's `^localhost[:$]` check: `localhost:` (or `localhost$`) at the start. */
  get local(): boolean { return /^localhost[:$]/.test(this.server ?? ""); }
  /** The port of a local registry (`localhost:5555` -> 5555). */
  get localPort(): number | undefined {
    if (!this.local) return undefined;
    const port = Number.parseInt(this.server!.split(":").pop() ?? "", 10);
    return Number.isNaN(port) ? 0 : port;
  }
}

function resolve(source: Credential, secrets: SecretLookup): string | undefined {
  if (source === undefined) return undefined;
  return "secret" in source ? secrets.get(source.secret) : source.literal;
}
