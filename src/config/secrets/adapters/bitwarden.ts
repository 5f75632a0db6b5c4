// Bitwarden Password Manager via the `bw` CLI. `item` -> the login password, `item/field` -> a custom
// field; an item without a login password and no fields asked for returns all its custom fields.
import { cmd } from "../../../shell/index.ts";
import {
  type AdapterDeps, defineAdapter, parseJson, prefixedSecrets, requireCli, SecretsAdapterError, type SecretsAdapter,
} from "./base.ts";

interface BwField { name?: string; value?: unknown }
interface BwItem { login?: { password?: string | null }; fields?: BwField[] | null }

export function bitwardenAdapter({ run }: AdapterDeps): SecretsAdapter {
  const bw = (args: string[], session?: string) => run(cmd("bw", args), session === undefined ? {} : { env: { BW_SESSION: session } });
  const status = (session?: string): string => {
    const out = bw(["status"], session).stdout.trim();
    return parseJson<{ status?: string }>(out, "bw status").status ?? "";
  };

  return defineAdapter({
    requiresAccount: true,
    checkDependencies: () => requireCli(run, ["bw", "--version"], "Bitwarden CLI"),
    login(account) {
      let state = status();
      let session: string | undefined;
      if (state === "unauthenticated") {
        bw(["login", account ?? ""]);
        state = status();
      }
      if (state === "locked") {
        session = bw(["unlock", "--raw"]).stdout.trim() || undefined;
        state = status(session);
      }
      if (state !== "unlocked") throw new SecretsAdapterError("Failed to login to and unlock Bitwarden");
      if (!bw(["sync"], session).ok) throw new SecretsAdapterError("Failed to sync Bitwarden");
      return session;
    },
    fetchSecrets(secrets, { from, session }) {
      const results: Record<string, string> = {};
      for (const [item, fields] of itemsFields(prefixedSecrets(secrets, from))) {
        const got = bw(["get", "item", item], session);
        if (!got.ok) throw new SecretsAdapterError(`Could not read ${item} from Bitwarden`);
        const json = parseJson<BwItem>(got.stdout.trim(), "bw get item");
        const password = json.login?.password;
        if (fields.length > 0) {
          Object.assign(results, fromFields(fields, item, json));
        } else if (password !== undefined && password !== null) {
          results[item] = password;
        } else if (json.fields && json.fields.length > 0) {
          Object.assign(results, fromFields(json.fields.map((f) => f.name ?? ""), item, json));
        } else {
          throw new SecretsAdapterError(`Item ${item} is not a login type item and no fields were specified`);
        }
      }
      return results;
    },
  });
}

/** item -> fields asked for (`item/field`); a bare `item` asks for no field. */
function itemsFields(secrets: string[]): Map<string, string[]> {
  const items = new Map<string, string[]>();
  for (const s of secrets) {
    const [item = "", field] = s.split("/");
    if (!items.has(item)) items.set(item, []);
    if (field !== undefined && field !== "") items.get(item)!.push(field);
  }
  return items;
}

function fromFields(fields: string[], item: string, json: BwItem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const found = (json.fields ?? []).find((f) => f.name === field);
    if (!found) throw new SecretsAdapterError(`Could not find field ${field} in item ${item} in Bitwarden`);
    out[`${item}/${field}`] = found.value === undefined || found.value === null ? "" : String(found.value);
  }
  return out;
}
