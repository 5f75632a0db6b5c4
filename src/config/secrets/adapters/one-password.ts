// 1Password via the `op` CLI. Secrets are `[op://]vault/item[/section]/field` (field defaults to
// `password`); results are keyed by the field's reference minus `op://` and a trailing `/password`.
import { cmd, secret } from "../../../shell/index.ts";
import {
  type AdapterDeps, defineAdapter, parseJson, prefixedSecrets, requireCli, rubySplit, SecretsAdapterError, type SecretsAdapter,
} from "./base.ts";

interface OpField { reference?: string; value?: unknown }

export function onePasswordAdapter({ run }: AdapterDeps): SecretsAdapter {
  const login = (account: string | undefined): string | undefined => {
    const acct = account ?? "";
    if (run(cmd("op", "account", "get", "--account", acct), { quiet: true }).ok) return undefined;
    const signin = run(cmd("op", "signin", "--account", acct, "--force", "--raw"));
    if (!signin.ok) throw new SecretsAdapterError("Failed to login to 1Password");
    return signin.stdout.trim() || undefined;
  };

  const itemGet = (vault: string, item: string, account: string, session: string | undefined, fields: string[]): unknown => {
    const labels = fields.map((f) => `label=${f}`).join(",");
    const result = run(cmd(
      "op", "item", "get", item, "--vault", vault, "--format", "json", "--account", account,
      session !== undefined && ["--session", secret(session)],
      fields.length > 0 && ["--fields", labels],
    ));
    if (!result.ok) {
      const what = fields.length > 0 ? `${fields.join(", ")} ` : "";
      throw new SecretsAdapterError(`Could not read ${what}from ${item} in the ${vault} 1Password vault`);
    }
    return parseJson(result.stdout, "op item get");
  };

  return defineAdapter({
    requiresAccount: true,
    checkDependencies: () => requireCli(run, ["op", "--version"], "1Password CLI"),
    login,
    fetchSecrets(secrets, { from, account, session }) {
      const results: Record<string, string> = {};
      if (secrets.length === 0) {
        if (!from) throw new SecretsAdapterError("Name the secrets to fetch, or the item to read with --from VAULT/ITEM");
        const [vault = "", item = ""] = rubySplit(from.replace(/^op:\/\//, ""), "/");
        const json = itemGet(vault, item, account ?? "", session, []) as { fields?: OpField[] };
        Object.assign(results, fieldsMap(json.fields ?? []));
        return results;
      }
      for (const [vault, items] of vaultsItemsFields(prefixedSecrets(secrets, from))) {
        for (const [item, fields] of items) {
          const json = itemGet(vault, item, account ?? "", session, fields);
          const list = fields.length === 1 && !Array.isArray(json) ? [json as OpField] : (json as OpField[]);
          Object.assign(results, fieldsMap(list));
        }
      }
      return results;
    },
  });
}

/** vault -> item -> field labels (`section.field`), in the order first seen. */
function vaultsItemsFields(secrets: string[]): Map<string, Map<string, string[]>> {
  const vaults = new Map<string, Map<string, string[]>>();
  for (const s of secrets) {
    const [vault = "", item = "", ...fields] = rubySplit(s.replace(/^op:\/\//, ""), "/");
    if (fields.length === 0) fields.push("password");
    if (!vaults.has(vault)) vaults.set(vault, new Map());
    const items = vaults.get(vault)!;
    if (!items.has(item)) items.set(item, []);
    items.get(item)!.push(fields.join("."));
  }
  return vaults;
}

function fieldsMap(fields: OpField[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    let key = (f.reference ?? "").replace(/^op:\/\//, "");
    if (key.endsWith("/password")) key = key.slice(0, -"/password".length);
    out[key] = f.value === undefined || f.value === null ? "" : String(f.value);
  }
  return out;
}
