// `kamal app start|stop` (reference §1.3): start the configured version's container (and point kamal-proxy at it);
// stop takes the current container out of kamal-proxy first, then stops it.
import { BootError } from "../../errors.ts";
import { containerIdFor, currentRunningContainer } from "../../commands/app/containers.ts";
import { deployToProxy, removeFromProxy } from "../../commands/app/proxy.ts";
import { cmd, docker, pipe } from "../../shell/index.ts";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { preConnect } from "../hooks.ts";
import { withLock } from "../lock.ts";
import { eachAppRole, runningVersionOn } from "./roles.ts";

export async function appStart(ctx: Context): Promise<void> {
  await preConnect(ctx);
  const version = ctx.config.version;
  await withLock(ctx, () =>
    eachAppRole(ctx, async (host, role) => {
      await audit(ctx, host, `Started app version ${version}`);
      await ctx.runner.exec(host, docker("start", role.containerName(version)));
      if (!role.runningProxy) return;
      const running = (await runningVersionOn(ctx, host, role)) ?? version;
      const endpoint = await ctx.runner.capture(host, containerIdFor(role.containerName(running)), { level: "info" });
      if (endpoint === "") throw new BootError(`Failed to get endpoint for ${role.name} on ${host}, did the container boot?`);
      await ctx.runner.run(host, deployToProxy(ctx.config, role, endpoint, running));
    }));
}

export async function appStop(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () =>
    eachAppRole(ctx, async (host, role) => {
      await audit(ctx, host, "Stopped app", { role: role.name });
      if (role.runningProxy) {
        const running = await runningVersionOn(ctx, host, role);
        const endpoint = running === undefined ? "" : await ctx.runner.capture(host, containerIdFor(role.containerName(running)), { level: "info" });
        if (endpoint !== "") await ctx.runner.exec(host, removeFromProxy(role));
      }
      // The current container's id piped to docker stop (nothing to stop is fine).
      await ctx.runner.exec(host, pipe(currentRunningContainer(ctx.config, role, "id"), cmd("xargs", "docker", "stop", role.stopWaitSeconds !== undefined && ["-t", String(role.stopWaitSeconds)])));
    }));
}

