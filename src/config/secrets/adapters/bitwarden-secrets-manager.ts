// Bitwarden Secrets Manager via the `bws` CLI (authenticated by BWS_ACCESS_TOKEN). Secrets are secret
// UUIDs, or `all`, or `<project-id>/all`; results are keyed by each secret's key.
import { cmd } from "../../../shell/index.ts";
import {
  type AdapterDeps, defineAdapter, parseJson, prefixedSecrets, requireCli, SecretsAdapterError, type SecretsAdapter,
} from "./base.ts";

interface BwsSecret { key: string; value: string }

export function bitwardenSecretsManagerAdapter({ run }: AdapterDeps): SecretsAdapter {
  return defineAdapter({
    requiresAccount: false,
    checkDependencies: () => requireCli(run, ["bws", "--version"], "Bitwarden Secrets Manager CLI"),
    login() {
      if (!run(cmd("bws", "project", "list")).ok) {
        throw new SecretsAdapterError("Could not authenticate to Bitwarden Secrets Manager. Did you set a valid access token?");
      }
    },
    fetchSecrets(names, { from }) {
      if (names.length === 0) throw new SecretsAdapterError("You must specify what to retrieve from Bitwarden Secrets Manager");
      const secrets = prefixedSecrets(names, from);
      const results: Record<string, string> = {};
      const listArgs = listCommand(secrets);
      if (listArgs) {
        const listed = run(cmd("bws", listArgs));
        if (!listed.ok) throw new SecretsAdapterError("Could not read secrets from Bitwarden Secrets Manager");
        for (const s of parseJson<BwsSecret[]>(listed.stdout, "bws secret list")) results[s.key] = s.value;
        return results;
      }
      for (const id of secrets) {
        const got = run(cmd("bws", "secret", "get", id));
        if (!got.ok) throw new SecretsAdapterError(`Could not read ${id} from Bitwarden Secrets Manager`);
        const s = parseJson<BwsSecret>(got.stdout, "bws secret get");
        results[s.key] = s.value;
      }
      return results;
    },
  });
}

/** `all` lists every secret, `<project>/all` a project's; anything else is fetched id by id. */
function listCommand(secrets: string[]): string[] | undefined {
  if (secrets.length !== 1) return undefined;
  const only = secrets[0]!;
  if (only === "all") return ["secret", "list"];
  if (only.endsWith("/all")) return ["secret", "list", only.split("/all")[0]!];
  return undefined;
}
