// AWS Secrets Manager via the `aws` CLI (`--account` is the AWS profile). A secret whose SecretString is a
// JSON object gives one `<name>/<key>` per key; any other secret gives `<name>`.
import { cmd } from "../../../shell/index.ts";
import {
  type AdapterDeps, defineAdapter, inspectList, parseJson, prefixedSecrets, requireCli, SecretsAdapterError, stringifySecret,
  type SecretsAdapter,
} from "./base.ts";

interface BatchResult {
  SecretValues?: { Name: string; SecretString?: string }[];
  Errors?: { SecretId: string; Message: string }[];
}

export function awsSecretsManagerAdapter({ run }: AdapterDeps): SecretsAdapter {
  return defineAdapter({
    requiresAccount: false,
    checkDependencies: () => requireCli(run, ["aws", "--version"], "AWS CLI"),
    login: () => undefined,
    fetchSecrets(names, { from, account }) {
      const ids = prefixedSecrets(names, from);
      const got = run(cmd(
        "aws", "secretsmanager", "batch-get-secret-value", "--secret-id-list", ids,
        account !== undefined && ["--profile", account],
        "--output", "json",
      ));
      if (!got.ok) throw new SecretsAdapterError(`Could not read ${inspectList(ids)} from AWS Secrets Manager`);
      const batch = parseJson<BatchResult>(got.stdout, "aws secretsmanager batch-get-secret-value");
      if (batch.Errors && batch.Errors.length > 0) {
        throw new SecretsAdapterError(batch.Errors.map((e) => `${e.SecretId}: ${e.Message}`).join(" "));
      }
      const results: Record<string, string> = {};
      for (const secret of batch.SecretValues ?? []) {
        const text = secret.SecretString ?? "";
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          results[secret.Name] = text;
          continue;
        }
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
          for (const [key, value] of Object.entries(parsed)) results[`${secret.Name}/${key}`] = stringifySecret(value);
        } else {
          results[secret.Name] = stringifySecret(parsed);
        }
      }
      return results;
    },
  });
}
