// Top-level commands of `kamal` (reference §1.2). Groups live in their own files.
import { defineCommand } from "../define.ts";
import { CONFIRMED, NO_CACHE, ROLLING, SKIP_PUSH } from "./shared-options.ts";
import { VERSION } from "../../version.ts";

const deployFlows = () => Promise.all([import("../../flows/modify.ts"), import("../../flows/deploy.ts")]);

export const setupCommand = defineCommand({
  name: "setup", desc: "Setup all accessories, push the env, and deploy app to servers", options: [SKIP_PUSH, NO_CACHE],
  run: async ({ options }, ctx) => {
    const [{ withModify }, { setup }] = await deployFlows();
    await withModify(ctx, (fc) => setup(fc, { skipPush: options.skipPush, noCache: options.noCache }));
  },
});
export const deployCommand = defineCommand({
  name: "deploy", desc: "Deploy app to servers", options: [SKIP_PUSH, NO_CACHE],
  run: async ({ options }, ctx) => {
    const [{ withModify }, { deploy }] = await deployFlows();
    await withModify(ctx, (fc) => deploy(fc, { skipPush: options.skipPush, noCache: options.noCache }));
  },
});
export const redeployCommand = defineCommand({
  name: "redeploy", desc: "Deploy app to servers without bootstrapping servers, starting kamal-proxy and pruning", options: [SKIP_PUSH, NO_CACHE],
  run: async ({ options }, ctx) => {
    const [{ withModify }, { redeploy }] = await deployFlows();
    await withModify(ctx, (fc) => redeploy(fc, { skipPush: options.skipPush, noCache: options.noCache }));
  },
});
export const rollbackCommand = defineCommand({
  name: "rollback", desc: "Rollback app to VERSION", params: [{ name: "version", required: true }],
  run: async ({ params }, ctx) => {
    const [{ withModify }, { rollback }] = await deployFlows();
    await withModify(ctx, (fc) => rollback(fc, params.version));
  },
});
export const detailsCommand = defineCommand({ name: "details", desc: "Show details about all containers" });
export const removeCommand = defineCommand({
  name: "remove", desc: "Remove kamal-proxy, app, accessories, and registry session from servers", options: [CONFIRMED],
  run: async ({ options }, ctx) => {
    const [{ confirmed }, { withContext }, { removeAll }] = await Promise.all([
      import("../confirm.ts"), import("../../flows/context.ts"), import("../../flows/remove.ts"),
    ]);
    if (await confirmed(ctx, "This will remove all containers and images. Are you sure?", options.confirmed)) await withContext(ctx, removeAll);
  },
});
export const upgradeCommand = defineCommand({
  name: "upgrade",
  desc: "Upgrade from Kamal 1.x to 2.0",
  options: [CONFIRMED, ROLLING],
  run: async () => {
    const { KamalError } = await import("../../errors.ts");
    throw new KamalError(
      "'kamal upgrade' (the Kamal 1 to 2 migration: Traefik replaced by kamal-proxy, accessories moved into the 'kamal' network) " +
        "is not supported by this build; run it once with Ruby Kamal 2, then use this tool", "NotImplementedError");
  },
});

export const versionCommand = defineCommand({
  name: "version",
  desc: "Show Kamal version",
  run: (_input, ctx) => {
    ctx.stdout.write(`${VERSION}\n`);
  },
});

export const configCommand = defineCommand({
  name: "config",
  desc: "Show combined config (including secrets!)",
  run: async (_input, ctx) => {
    const { loadConfig, renderConfigYaml } = await import("../../config/index.ts");
    const config = loadConfig({
      configFile: ctx.global.configFile, destination: ctx.global.destination, version: ctx.global.version,
      cwd: ctx.cwd, env: { ...ctx.env },
    });
    const yaml = renderConfigYaml(config, { keys: "kamal" });
    ctx.stdout.write(yaml.endsWith("\n") ? yaml : `${yaml}\n`);
  },
});

export const docsCommand = defineCommand({
  name: "docs",
  desc: "Show Kamal configuration documentation",
  params: [{ name: "section" }],
  run: async ({ params }, ctx) => {
    const { docsFor } = await import("../../flows/docs.ts");
    const text = docsFor(params.section);
    ctx.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  },
});

export const initCommand = defineCommand({
  name: "init",
  desc: "Create config stub in config/deploy.yml and secrets stub in .kamal",
  options: [{ name: "bundle", type: "boolean", default: false, desc: "Add Kamal to the Gemfile and create a bin/kamal binstub" }],
  run: async ({ options }, ctx) => {
    const { initApp } = await import("../../flows/init.ts");
    initApp({ cwd: ctx.cwd, bundle: options.bundle, print: (line) => ctx.stdout.write(`${line}\n`) });
  },
});

export const MAIN_COMMANDS = [
  setupCommand, deployCommand, redeployCommand, rollbackCommand, detailsCommand, configCommand, docsCommand,
  initCommand, removeCommand, upgradeCommand, versionCommand,
];
