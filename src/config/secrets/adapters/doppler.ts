// Doppler via the `doppler` CLI. `--from project/config` (or `project/config/NAME` secrets) picks the
// config unless DOPPLER_TOKEN is a service token (`dp.st...`), which is already scoped to one.
import { cmd } from "../../../shell/index.ts";
import {
  type AdapterDeps, defineAdapter, inspectList, parseJson, prefixedSecrets, requireCli, rubySplit, SecretsAdapterError,
  type SecretsAdapter,
} from "./base.ts";

export function dopplerAdapter({ run, env }: AdapterDeps): SecretsAdapter {
  const serviceTokenSet = (): boolean => (env.DOPPLER_TOKEN ?? "").slice(0, 5) === "dp.st";

  return defineAdapter({
    requiresAccount: false,
    checkDependencies: () => requireCli(run, ["doppler", "--version"], "Doppler CLI"),
    login() {
      if (run(cmd("doppler", "me", "--json"), { quiet: true }).ok) return;
      if (!run(cmd("doppler", "login", "-y")).ok) throw new SecretsAdapterError("Failed to login to Doppler");
    },
    fetchSecrets(names, { from }) {
      const secrets = prefixedSecrets(names, from);
      let scope: string[] = [];
      if (!serviceTokenSet()) {
        const [project, config] = rubySplit(secrets[0] ?? "", "/");
        if (project === undefined || config === undefined) {
          throw new SecretsAdapterError("Missing project or config from '--from=project/config' option");
        }
        scope = ["-p", project, "-c", config];
      }
      const secretNames = secrets.map((s) => rubySplit(s, "/").pop() ?? "");
      const got = run(cmd("doppler", "secrets", "get", secretNames, "--json", scope));
      if (!got.ok) throw new SecretsAdapterError(`Could not read ${inspectList(secrets)} from Doppler`);
      const items = parseJson<Record<string, { computed?: unknown }>>(got.stdout, "doppler secrets get");
      const results: Record<string, string> = {};
      for (const [name, item] of Object.entries(items)) results[name] = item.computed == null ? "" : String(item.computed);
      return results;
    },
  });
}
