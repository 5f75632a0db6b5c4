// `kamal app remove` (reference §4.6): stop, remove the role's containers, and where every role of a host goes, its
// images and the app's directories (so `kamal app remove -r workers` on a shared host keeps them).
import { removeContainers, removeImages } from "../../commands/app/containers.ts";
import { removeAppDirectory, removeProxyAppDirectory } from "../../commands/app/remove.ts";
import { onHosts } from "../../exec/index.ts";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { preConnect } from "../hooks.ts";
import { withLock } from "../lock.ts";
import { eachAppRole, hostsRemovingAllRoles } from "./roles.ts";
import { appStop } from "./start-stop.ts";

export async function appRemoveContainers(ctx: Context): Promise<void> {
  await withLock(ctx, () =>
    eachAppRole(ctx, async (host, role) => {
      await audit(ctx, host, "Removed all app containers", { role: role.name });
      await ctx.runner.run(host, removeContainers(ctx.config, role));
    }));
}

export async function appRemoveImages(ctx: Context): Promise<void> {
  await withLock(ctx, () =>
    onHosts(hostsRemovingAllRoles(ctx), async (host) => {
      await audit(ctx, host, "Removed all app images");
      await ctx.runner.run(host, removeImages(ctx.config));
    }));
}

export async function appRemoveAppDirectories(ctx: Context): Promise<void> {
  await withLock(ctx, () =>
    onHosts(hostsRemovingAllRoles(ctx), async (host) => {
      await ctx.runner.exec(host, removeAppDirectory(ctx.config));
      await audit(ctx, host, `Removed ${ctx.config.appDirectory}`);
      await ctx.runner.exec(host, removeProxyAppDirectory(ctx.config));
    }));
}

export async function appRemove(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    await appStop(ctx);
    await appRemoveContainers(ctx);
    await appRemoveImages(ctx);
    await appRemoveAppDirectories(ctx);
  });
}
