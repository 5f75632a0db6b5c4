// Environment of a container (configuration/env.rb): clear values plus secret keys, merged root ⊕ role ⊕ host tags.
import { hashOrEmpty, isHash, isPresent, rubyToS, type RawHash } from "./values.ts";

/** A secret env entry: `NAME` or `NAME:SECRET` (the container sees NAME, the value comes from secret SECRET). */
export interface SecretEnvEntry { readonly name: string; readonly secret: string }

/** What a container gets: clear values ("" means a bare `--env KEY`, i.e. unset) and secret entries for its env file. */
export interface ContainerEnv {
  readonly clear: Record<string, string>;
  /** The raw secret keys as written (`NAME` or `NAME:SECRET`), deduplicated, in order. */
  readonly secretKeys: string[];
  readonly secrets: SecretEnvEntry[];
}

export interface SecretLookup {
  get(key: string): string;
  has(key: string): boolean;
  /** The values read so far (none before the first lookup): what output must be scrubbed of. */
  loadedValues?(): string[];
}

export function parseSecretEntry(key: string): SecretEnvEntry {
  const at = key.indexOf(":");
  return at === -1 ? { name: key, secret: key } : { name: key.slice(0, at), secret: key.slice(at + 1) };
}

/** Clear value as Kamal passes it: blank -> "" (bare `--env KEY`), false -> "false", else Ruby to_s. */
export function clearValueText(value: unknown): string {
  if (value === false) return "false";
  return isPresent(value) ? rubyToS(value) : "";
}

export class Env {
  /** Raw clear values as written in the YAML (numbers and booleans kept). */
  readonly clearRaw: RawHash;
  readonly secretKeys: string[];

  constructor(clearRaw: RawHash, secretKeys: string[]) {
    this.clearRaw = clearRaw;
    this.secretKeys = secretKeys;
  }

  /** From an `env:` block: simple form (all clear) or `clear`/`secret`(/`tags`). */
  static fromRaw(raw: unknown): Env {
    const config = hashOrEmpty(raw);
    const complex = "clear" in config || "secret" in config || "tags" in config;
    const clear = complex ? hashOrEmpty(config.clear) : config;
    const secret = Array.isArray(config.secret) ? config.secret.map((k) => rubyToS(k)) : [];
    return new Env(clear, secret);
  }

  /** Env#merge: clear later-wins, secret keys union. */
  merge(other: Env): Env {
    const secrets = [...this.secretKeys];
    for (const key of other.secretKeys) if (!secrets.includes(key)) secrets.push(key);
    return new Env({ ...this.clearRaw, ...other.clearRaw }, secrets);
  }

  get clear(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.clearRaw).map(([k, v]) => [k, clearValueText(v)]));
  }

  get secrets(): SecretEnvEntry[] {
    return this.secretKeys.map(parseSecretEntry);
  }

  toContainerEnv(): ContainerEnv {
    return { clear: this.clear, secretKeys: [...this.secretKeys], secrets: this.secrets };
  }

  /** Secret env values for the env file, looked up in the secrets (throws `Secret 'X' not found in ...`). Later names win. */
  secretValues(secrets: SecretLookup): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, secret } of this.secrets) out[name] = secrets.get(secret);
    return out;
  }
}

/** Env#to_h: clear values plus resolved secrets (used to render accessory `.erb` files). */
export function envWithSecrets(env: Env, secrets: SecretLookup): Record<string, string> {
  return { ...env.clear, ...env.secretValues(secrets) };
}

/** The env tags defined under the root `env.tags`, by name. */
export function envTagsFromRaw(rootEnv: unknown): Map<string, Env> {
  const tags = hashOrEmpty(rootEnv).tags;
  const out = new Map<string, Env>();
  if (isHash(tags)) for (const [name, config] of Object.entries(tags)) out.set(name, Env.fromRaw(config));
  return out;
}
