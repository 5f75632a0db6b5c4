// `kamal remove` (reference §1.2, §4.6): under the lock, the app (containers, images, directories), kamal-proxy
// (unless other apps remain on a host), every accessory with its data, and the registry session on the hosts.
// Beyond Kamal: what setup created and nothing uses any more goes too (docker and rmdir refuse otherwise): the `kamal`
// network, the kamal-proxy-config volume and the empty .kamal/apps directory.
import { onHosts } from "../exec/index.ts";
import { removeAppsDirectoryIfEmpty } from "../commands/app/remove.ts";
import { removeProxyConfigVolume, removeProxyNetwork } from "../commands/proxy.ts";
import { accessoryRemove } from "./accessory.ts";
import { appRemove } from "./app/remove.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { removeProxy } from "./proxy.ts";
import { registryRemove } from "./registry.ts";

export async function removeAll(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    await appRemove(ctx);
    await removeProxy(ctx);
    if (ctx.config.accessories.length > 0) await accessoryRemove(ctx, "all");
    await registryRemove(ctx, { skipLocal: true });
    await onHosts(ctx.selection.hosts, async (host) => {
      for (const leftover of [removeProxyNetwork(), removeProxyConfigVolume(), removeAppsDirectoryIfEmpty(ctx.config)]) {
        await ctx.runner.exec(host, leftover, { level: "debug" });
      }
    });
  });
}
