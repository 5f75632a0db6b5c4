// Enpass via `enpass-cli` (offline; `--from` is the vault's path). `Title` returns every password of the
// item (`Title/<label>`, or `Title` for an unlabelled one); `Title/LABEL` returns one.
import { cmd } from "../../../shell/index.ts";
import {
  type AdapterDeps, defineAdapter, inspectList, isBlank, parseJson, requireCli, SecretsAdapterError, uniq, type SecretsAdapter,
} from "./base.ts";

interface EnpassEntry { title?: string; label?: string; password?: string }

export function enpassAdapter({ run }: AdapterDeps): SecretsAdapter {
  return defineAdapter({
    requiresAccount: false,
    checkDependencies: () => requireCli(run, ["enpass-cli", "version"], "Enpass CLI"),
    login: () => undefined,
    fetchSecrets(secrets, { from }) {
      if (isBlank(from)) throw new SecretsAdapterError("Missing required option '--from' (the path of the Enpass vault)");
      const titles = uniq(secrets.map(titleOf));
      const shown = run(cmd("enpass-cli", "-json", "-vault", from!, "show", titles));
      if (!shown.ok) throw new SecretsAdapterError(`Could not read ${inspectList(titles)} from Enpass`);
      const results: Record<string, string> = {};
      for (const entry of parseJson<EnpassEntry[]>(shown.stdout.trim(), "enpass-cli show")) {
        const { title, label, password } = entry;
        if (!title || isBlank(password)) continue;
        const key = [title, label].filter((p): p is string => !!p).join("/");
        if (!secrets.includes(title) && !secrets.includes(key)) continue;
        if (Object.hasOwn(results, key)) throw new SecretsAdapterError(`${key} is present more than once`);
        results[key] = password!;
      }
      return results;
    },
  });
}

/** `A/B/LABEL` -> item title `A/B`; `Title` -> `Title` (Ruby's rpartition("/")). */
function titleOf(secret: string): string {
  const slash = secret.lastIndexOf("/");
  return slash <= 0 ? secret.slice(slash + 1) : secret.slice(0, slash);
}
