// Google Secret Manager via `gcloud`. Secrets are `[project/]name[/version]` (project `default` = gcloud's
// configured one, version `latest`); keys are `project/name`. `--account` is `default`, a user, or
// `user|sa1,sa2` to impersonate a service account (chain).
import { Buffer } from "node:buffer";
import { cmd } from "../../../shell/index.ts";
import {
  type AdapterDeps, defineAdapter, parseJson, prefixedSecrets, requireCli, rubySplit, SecretsAdapterError, type SecretsAdapter,
} from "./base.ts";

export function gcpSecretManagerAdapter({ run }: AdapterDeps): SecretsAdapter {
  const loggedIn = (): boolean => {
    const listed = run(cmd("gcloud", "auth", "list", "--format=json"));
    const accounts = listed.ok ? parseJson<unknown[]>(listed.stdout.trim() || "[]", "gcloud auth list") : [];
    return Array.isArray(accounts) && accounts.length > 0;
  };

  return defineAdapter({
    requiresAccount: true,
    checkDependencies: () => requireCli(run, ["gcloud", "--version"], "gcloud CLI"),
    login() {
      if (loggedIn()) return;
      run(cmd("gcloud", "auth", "login"));
      if (!loggedIn()) throw new SecretsAdapterError("could not login to gcloud");
    },
    fetchSecrets(secrets, { from, account }) {
      const [user = "default", serviceAccount] = splitAccount(account ?? "default");
      const results: Record<string, string> = {};
      for (const [project, name, version] of withMetadata(prefixedSecrets(secrets, from)).values()) {
        const itemName = `${project}/${name}`;
        const got = run(cmd(
          "gcloud", "secrets", "versions", "access", version, `--secret=${name}`,
          project !== "default" && `--project=${project}`,
          user !== "default" && `--account=${user}`,
          serviceAccount !== undefined && `--impersonate-service-account=${serviceAccount}`,
          "--format=json",
        ));
        if (!got.ok) throw new SecretsAdapterError(`Could not read ${itemName} from Google Secret Manager`);
        const json = parseJson<{ payload?: { data?: string } }>(got.stdout.trim(), "gcloud secrets versions access");
        results[itemName] = Buffer.from(json.payload?.data ?? "", "base64").toString("utf8");
      }
      return results;
    },
  });
}

/** `user|sa1,sa2` -> [user, "sa1,sa2"] (Ruby's split("|", 2)). */
function splitAccount(account: string): [string, string | undefined] {
  const bar = account.indexOf("|");
  return bar < 0 ? [account, undefined] : [account.slice(0, bar), account.slice(bar + 1)];
}

/** secret -> [project, name, version], one entry per distinct secret. */
function withMetadata(secrets: string[]): Map<string, [string, string, string]> {
  const items = new Map<string, [string, string, string]>();
  for (const secret of secrets) {
    const parts = rubySplit(secret, "/");
    if (parts.length === 1) parts.unshift("default");
    const [project = "", name = "", version = "latest"] = parts;
    items.set(secret, [project, name, version]);
  }
  return items;
}
