// LastPass via the `lpass` CLI. Secrets are entry full names (`Folder/Entry`); values are passwords.
import { cmd } from "../../../shell/index.ts";
import {
  type AdapterDeps, defineAdapter, inspectList, parseJson, prefixedSecrets, requireCli, SecretsAdapterError, type SecretsAdapter,
} from "./base.ts";

interface LpassEntry { fullname: string; password: string }

export function lastPassAdapter({ run }: AdapterDeps): SecretsAdapter {
  return defineAdapter({
    requiresAccount: true,
    checkDependencies: () => requireCli(run, ["lpass", "--version"], "LastPass CLI"),
    login(account) {
      const status = run(cmd("lpass", "status", "--color", "never")).stdout.trim();
      if (status === `Logged in as ${account}.`) return;
      if (!run(cmd("lpass", "login", account ?? "")).ok) throw new SecretsAdapterError("Failed to login to LastPass");
    },
    fetchSecrets(names, { from }) {
      const secrets = prefixedSecrets(names, from);
      const shown = run(cmd("lpass", "show", secrets, "--json"));
      if (!shown.ok) throw new SecretsAdapterError(`Could not read ${inspectList(secrets)} from LastPass`);
      const results: Record<string, string> = {};
      for (const entry of parseJson<LpassEntry[]>(shown.stdout, "lpass show")) results[entry.fullname] = entry.password;
      const missing = secrets.filter((s) => !Object.hasOwn(results, s));
      if (missing.length > 0) throw new SecretsAdapterError(`Could not find ${missing.join(", ")} in LastPass`);
      return results;
    },
  });
}
