// What every app subcommand walks: each selected app host with the selected roles on it (primary role first),
// and the running version of a role on a host.
import type { Role } from "../../config/index.ts";
import { onHosts } from "../../exec/index.ts";
import { currentRunningContainer, versionOfContainerName } from "../../commands/app/containers.ts";
import type { Context } from "../context.ts";

/** The full Role objects selected on `host`, primary role first. */
export const rolesOn = (ctx: Context, host: string): Role[] =>
  ctx.selection.rolesOn(host).map((r) => ctx.config.role(r.name)).filter((r): r is Role => r !== undefined);

/** Runs `step` for each role on each selected app host (hosts in parallel, fail-slow; roles of one host in order). */
export async function eachAppRole(ctx: Context, step: (host: string, role: Role) => Promise<void>, hosts = ctx.selection.appHosts): Promise<void> {
  await onHosts(hosts, async (host) => {
    for (const role of rolesOn(ctx, host)) await step(host, role);
  });
}

/** The version of the role's current running container on the host (undefined when none runs). */
export async function runningVersionOn(ctx: Context, host: string, role: Role): Promise<string | undefined> {
  const result = await ctx.runner.exec(host, currentRunningContainer(ctx.config, role, "name"), { level: "info" });
  const name = result.stdout.trim();
  return name === "" ? undefined : versionOfContainerName(role, name);
}

/** App hosts where every role of the host is selected (images and directories are removed only there). */
export const hostsRemovingAllRoles = (ctx: Context): string[] =>
  ctx.selection.appHosts.filter((host) => ctx.config.roles.filter((r) => r.hosts.includes(host)).every((r) => rolesOn(ctx, host).some((s) => s.name === r.name)));
