// `kamal app images` (reference §1.3): the app's images on every selected app host.
import { onHosts } from "../../exec/index.ts";
import { listImages } from "../../commands/app/containers.ts";
import type { Context } from "../context.ts";
import { preConnect } from "../hooks.ts";

export async function appImages(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await onHosts(ctx.selection.appHosts, async (host) => {
    ctx.logger.putsByHost(host, await ctx.runner.capture(host, listImages(ctx.config), { level: "info" }), { quiet: ctx.options.quiet });
  });
}
