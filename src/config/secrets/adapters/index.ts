// `--adapter NAME` -> adapter, with Kamal's aliases and class-name lookup (`one_password`, `OnePassword`).
import { awsSecretsManagerAdapter } from "./aws-secrets-manager.ts";
import { type AdapterDeps, SecretsAdapterError, type SecretsAdapter } from "./base.ts";
import { bitwardenAdapter } from "./bitwarden.ts";
import { bitwardenSecretsManagerAdapter } from "./bitwarden-secrets-manager.ts";
import { dopplerAdapter } from "./doppler.ts";
import { enpassAdapter } from "./enpass.ts";
import { gcpSecretManagerAdapter } from "./gcp-secret-manager.ts";
import { lastPassAdapter } from "./last-pass.ts";
import { onePasswordAdapter } from "./one-password.ts";
import { passboltAdapter } from "./passbolt.ts";
import { testAdapter } from "./test.ts";

export type { AdapterDeps, FetchOptions, SecretsAdapter } from "./base.ts";
export { SecretsAdapterError } from "./base.ts";

/** Kamal's adapter class names (camelized file names). */
const ADAPTERS: Record<string, (deps: AdapterDeps) => SecretsAdapter> = {
  OnePassword: onePasswordAdapter,
  Bitwarden: bitwardenAdapter,
  BitwardenSecretsManager: bitwardenSecretsManagerAdapter,
  LastPass: lastPassAdapter,
  Doppler: dopplerAdapter,
  AwsSecretsManager: awsSecretsManagerAdapter,
  GcpSecretManager: gcpSecretManagerAdapter,
  Enpass: enpassAdapter,
  Passbolt: passboltAdapter,
  Test: testAdapter,
};

const ALIASES: Record<string, string> = {
  "1password": "one_password",
  lastpass: "last_pass",
  gcp: "gcp_secret_manager",
  "bitwarden-sm": "bitwarden_secrets_manager",
};

/** The names `kamal secrets fetch --adapter` documents. */
export const ADAPTER_NAMES = [
  "1password", "bitwarden", "bitwarden-sm", "lastpass", "doppler", "aws_secrets_manager", "gcp", "enpass", "passbolt",
] as const;

/** ActiveSupport's `camelize` for snake_case names: `aws_secrets_manager` -> `AwsSecretsManager`. */
function camelize(name: string): string {
  return name.split("_").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

export function lookupAdapter(name: string, deps: AdapterDeps): SecretsAdapter {
  const resolved = ALIASES[name.toLowerCase()] ?? name;
  const make = Object.hasOwn(ADAPTERS, camelize(resolved)) ? ADAPTERS[camelize(resolved)] : undefined;
  if (!make) throw new SecretsAdapterError(`Unknown secrets adapter: ${resolved}`);
  return make(deps);
}
