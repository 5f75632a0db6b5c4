// Shared helpers for the derived-configuration tests: build a Config from a raw hash without touching disk.
import { Config } from "../../src/config/config.ts";
import { ConfigurationError } from "../../src/errors.ts";
import type { SecretLookup } from "../../src/config/env.ts";

export function secretsFrom(values: Record<string, string>): SecretLookup {
  return {
    has: (key) => Object.hasOwn(values, key),
    get: (key) => {
      if (!Object.hasOwn(values, key)) throw new ConfigurationError(`Secret '${key}' not found in .kamal/secrets`);
      return values[key]!;
    },
  };
}

export const BASE = {
  service: "app",
  image: "dhh/app",
  registry: { username: "dhh", password: ["KAMAL_REGISTRY_PASSWORD"] },
  builder: { arch: "amd64" },
};

export function makeConfig(raw: Record<string, unknown>, opts: { destination?: string; version?: string; secrets?: Record<string, string>; env?: Record<string, string> } = {}): Config {
  return new Config({ ...BASE, ...raw }, {
    destination: opts.destination,
    version: opts.version ?? "999",
    cwd: "/nonexistent",
    env: opts.env ?? {},
    secrets: secretsFrom(opts.secrets ?? { KAMAL_REGISTRY_PASSWORD: "pw" }),
    gitUsed: () => true,
    gitVersion: () => "0123456789abcdef0123456789abcdef01234567",
  });
}
