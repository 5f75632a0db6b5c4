// `kamal remove` (reference §1.2, §4.6): under the lock, the app (containers, images, directories), kamal-proxy
// (unless other apps remain on a host), every accessory with its data, and the registry session on the hosts.
// Beyond Kamal: the `kamal` docker network goes too where nothing uses it any more (docker refuses otherwise).
import { onHosts } from "../exec/index.ts";
import { removeProxyNetwork } from "../commands/proxy.ts";
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
    await onHosts(ctx.selection.hosts, (host) => ctx.runner.exec(host, removeProxyNetwork(), { level: "debug" }));
  });
}
