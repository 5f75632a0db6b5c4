// Read-only questions about app containers on hosts, and `app containers|details|version|stale_containers`.
import type { Config, Role } from "../../config/index.ts";
import {
  containerDetails, currentRunningContainer, listContainers, runningContainerNames, stopContainer, versionOfContainerName,
} from "../../commands/app/index.ts";
import type { Context } from "../context.ts";
import { preConnect } from "../hooks.ts";
import { withLock } from "../lock.ts";

/** The version of the role's current running container on the host, or undefined (never throws on an empty host). */
export async function currentRunningVersion(ctx: Context, host: string, role: Role, config: Config = ctx.config): Promise<string | undefined> {
  const result = await ctx.runner.exec(host, currentRunningContainer(config, role, "name"), { level: "debug" });
  return result.code === 0 ? versionOfContainerName(role, result.stdout.trim()) : undefined;
}

/** Versions of every running container of the role on the host. */
export async function runningVersions(ctx: Context, host: string, role: Role): Promise<string[]> {
  const names = await ctx.runner.capture(host, runningContainerNames(ctx.config, role));
  return names.split("\n").map((n) => versionOfContainerName(role, n.trim())).filter((v): v is string => v !== undefined);
}

/** Every (host, role) of the selection, as Kamal's on_roles visits them. */
function eachRole(ctx: Context, fn: (host: string, role: Role) => Promise<void>): Promise<void> {
  return ctx.runner.onRoles(ctx.selection.roles, ctx.selection.hosts, (host, selected) => fn(host, ctx.config.role(selected.name)!));
}

/** `app stale_containers [--stop]`: running containers of a role other than its current one (left by failed deploys). */
export async function staleContainers(ctx: Context, opts: { stop: boolean }): Promise<void> {
  await preConnect(ctx);
  const run = async (): Promise<void> => eachRole(ctx, async (host, role) => {
    const current = await currentRunningVersion(ctx, host, role);
    for (const version of await runningVersions(ctx, host, role)) {
      if (version === current) continue;
      if (opts.stop) {
        ctx.logger.info(`Stopping stale container for role ${role.name} with version ${version}`);
        await ctx.runner.run(host, stopContainer(role, role.containerName(version)));
      } else {
        ctx.logger.info(`Detected stale container for role ${role.name} with version ${version} (use \`kamal app stale_containers --stop\` to stop)`);
      }
    }
  });
  await (opts.stop ? withLock(ctx, run) : run());
}

/** `app containers`: every container of the service (all roles, any state) on each app host. */
export async function appContainers(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await ctx.runner.onHosts(ctx.selection.appHosts, async (host) => {
    ctx.logger.putsByHost(host, await ctx.runner.capture(host, listContainers(ctx.config), { level: "info" }), { quiet: ctx.options.quiet });
  });
}

/** `app details`: `docker ps` of each role on each of its hosts. */
export async function appDetails(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await eachRole(ctx, async (host, role) => {
    ctx.logger.putsByHost(host, await ctx.runner.capture(host, containerDetails(ctx.config, role), { level: "info" }), { quiet: ctx.options.quiet });
  });
}

/** `app version`: the running version on each app host (of the first role there). */
export async function appVersion(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await ctx.runner.onHosts(ctx.selection.appHosts, async (host) => {
    const selected = ctx.selection.rolesOn(host)[0];
    const version = selected ? await currentRunningVersion(ctx, host, ctx.config.role(selected.name)!) : undefined;
    ctx.logger.putsByHost(host, version ?? "", { quiet: ctx.options.quiet });
  });
}
