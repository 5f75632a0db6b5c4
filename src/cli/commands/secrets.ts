// `kamal secrets fetch|extract|print` (reference §1.11, §7.3), wired to src/config/secrets.
import { defineCommand, defineGroup } from "../define.ts";

export const secretsGroup = defineGroup("secrets", "Helpers for extracting secrets", [
  defineCommand({
    name: "fetch",
    desc: "Fetch secrets from a vault",
    params: [{ name: "secrets", variadic: true }],
    options: [
      { name: "adapter", alias: "a", type: "string", required: true, desc: "Which vault adapter to use" },
      { name: "account", type: "string", desc: "The account identifier or username" },
      { name: "from", type: "string", desc: "A vault or folder to fetch the secrets from" },
      { name: "inline", type: "boolean", default: false, hidden: true, desc: "Output the secrets for inline use" },
    ],
    run: async ({ params, options }, ctx) => {
      const { secretsFetch } = await import("../../config/secrets/commands.ts");
      const text = secretsFetch(
        { adapter: options.adapter, secrets: params.secrets, account: options.account, from: options.from, inline: options.inline },
        { env: { ...ctx.env }, cwd: ctx.cwd },
      );
      ctx.stdout.write(`${text}\n`);
    },
  }),
  defineCommand({
    name: "extract",
    desc: "Extract a single secret from the results of a fetch call",
    params: [{ name: "name", required: true }, { name: "secrets", required: true }],
    options: [{ name: "inline", type: "boolean", default: false, hidden: true, desc: "Output the secret for inline use" }],
    run: async ({ params }, ctx) => {
      const { secretsExtract } = await import("../../config/secrets/commands.ts");
      ctx.stdout.write(`${secretsExtract(params.name, params.secrets)}\n`);
    },
  }),
  defineCommand({
    name: "print",
    desc: "Print the secrets (for debugging)",
    run: async (_input, ctx) => {
      const { loadConfig } = await import("../../config/index.ts");
      const { Secrets, secretsPrint } = await import("../../config/secrets/index.ts");
      const env = { ...ctx.env };
      const config = loadConfig({ configFile: ctx.global.configFile, destination: ctx.global.destination, cwd: ctx.cwd, env });
      const secrets = new Secrets({ secretsPath: config.secretsPath, destination: ctx.global.destination, cwd: ctx.cwd, env });
      const text = secretsPrint(secrets);
      if (text !== "") ctx.stdout.write(`${text}\n`);
    },
  }),
]);
