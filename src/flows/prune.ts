// `kamal prune all|images|containers` (reference §1.9, §3.11): on every selected host, under the deploy lock.
import { ArgumentError } from "../errors.ts";
import { onHosts } from "../exec/index.ts";
import { pruneDanglingImages, pruneStoppedContainers, pruneTaggedImages } from "../commands/prune.ts";
import { audit } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { withLock } from "./lock.ts";

/** Dangling images, then tagged images no container uses (the latest tag kept). */
export async function pruneImages(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () =>
    onHosts(ctx.selection.hosts, async (host) => {
      await audit(ctx, host, "Pruned images");
      await ctx.runner.run(host, pruneDanglingImages(ctx.config));
      await ctx.runner.run(host, pruneTaggedImages(ctx.config));
    }));
}

/** Stopped containers of the service beyond the newest `retain` (default `retain_containers`, 5). */
export async function pruneContainers(ctx: Context, retain: number = ctx.config.retainContainers): Promise<void> {
  if (retain < 1) throw new ArgumentError("retain must be at least 1");
  await preConnect(ctx);
  await withLock(ctx, () =>
    onHosts(ctx.selection.hosts, async (host) => {
      await audit(ctx, host, "Pruned containers");
      await ctx.runner.run(host, pruneStoppedContainers(ctx.config, retain));
    }));
}

/** Containers first (so their images are no longer in use), then images. */
export async function pruneAll(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    await pruneContainers(ctx);
    await pruneImages(ctx);
  });
}
