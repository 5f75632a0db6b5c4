// `kamal proxy boot_config set|get|reset` (deprecated in Kamal 2, kept for compatibility): the files under .kamal/proxy
// that the boot line reads when `proxy.run` is not configured.
import { bootConfig, bootConfigFiles, bootConfigPaths, ensureProxyDirectory, removeBootConfigFile, type BootConfigFiles, type BootConfigSettings } from "../commands/proxy.ts";
import { ArgumentError } from "../errors.ts";
import { onHosts } from "../exec/index.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";

export const BOOT_CONFIG_DEPRECATION = "The proxy boot_config command is deprecated - set the config in the deploy YAML at proxy/run instead";

export async function proxyBootConfig(ctx: Context, subcommand: string, settings: BootConfigSettings = {}): Promise<void> {
  if (!["set", "get", "reset"].includes(subcommand)) throw new ArgumentError(`Unknown boot_config subcommand ${subcommand}`);
  ctx.logger.say(BOOT_CONFIG_DEPRECATION, "yellow");
  let files: BootConfigFiles = {};
  if (subcommand === "set") {
    try {
      files = bootConfigFiles(settings);
    } catch (e) {
      throw new ArgumentError((e as Error).message);
    }
  }
  await preConnect(ctx);
  const paths = bootConfigPaths(ctx.config);
  await onHosts(ctx.selection.proxyHosts, async (host) => {
    if (subcommand === "get") {
      ctx.stdout.write(`Host ${host}: ${await ctx.runner.capture(host, bootConfig(ctx.config), { level: "info" })}\n`);
      return;
    }
    if (subcommand === "set") await ctx.runner.run(host, ensureProxyDirectory(ctx.config));
    for (const key of Object.keys(paths) as (keyof BootConfigFiles)[]) {
      const content = files[key];
      if (content === undefined) await ctx.runner.exec(host, removeBootConfigFile(paths[key]));
      else await ctx.runner.upload(host, content, paths[key]);
    }
  });
}
