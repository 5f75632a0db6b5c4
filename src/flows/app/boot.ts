// `kamal app boot` (reference §4.5): prepare the hosts, then boot host groups (boot.limit / boot.wait /
// boot.parallel_roles); each (host, role) goes through bootRole with one Barrier shared by the whole boot; finally
// tag the version as latest on every app host. The version is data: a copy of the configuration carries it.
import { randomBytes } from "node:crypto";
import type { Role } from "../../config/index.ts";
import { BootError } from "../../errors.ts";
import {
  containerHealthLog, containerHostname, containerIdFor, containerLogsTail, deployToProxy, makeEnvDirectory, renameContainer,
  runContainer, stopContainer, tagLatestImage, cleanUpAssets, cleanUpErrorPages,
} from "../../commands/app/index.ts";
import type { Context } from "../context.ts";
import { audit } from "../audit.ts";
import { preConnect, runHook } from "../hooks.ts";
import { withLock } from "../lock.ts";
import { Barrier } from "./barrier.ts";
import { currentRunningVersion } from "./containers.ts";
import { waitForHealthy } from "./poller.ts";
import { prepareHosts } from "./prepare.ts";

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");

/** Kamal's each_slice over the selected app hosts (primary-role hosts come first). */
export function bootGroups(hosts: readonly string[], limit: number | undefined): string[][] {
  if (limit === undefined || limit <= 0) return [[...hosts]];
  const groups: string[][] = [];
  for (let i = 0; i < hosts.length; i += limit) groups.push(hosts.slice(i, i + limit));
  return groups;
}

/** Boot `version` on the selected hosts and roles. `ctx.config` may carry another version: the boot uses `version`. */
export async function appBoot(ctx: Context, version: string): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    const bootCtx: Context = { ...ctx, config: ctx.config.withVersion(version) };
    ctx.logger.say(`Start container with version ${version} (or reboot if already running)...`, "magenta");
    await prepareHosts(bootCtx, bootCtx.config, version);
    const barrier = ctx.selection.roles.length > 1 ? new Barrier() : undefined;
    const { boot } = bootCtx.config;
    const primary = gatekeeperRole(ctx);
    for (const group of bootGroups(ctx.selection.appHosts, boot.limit)) {
      await runHook(bootCtx, "pre-app-boot", { hosts: group });
      // A gatekeeper that failed before starting its container (host unreachable) decides nothing; when every
      // gatekeeper of the group is done and none decided, the barrier closes so waiting roles never hang.
      let gatekeepers = group.filter((h) => ctx.selection.rolesOn(h).some((r) => r.name === primary)).length;
      await bootCtx.runner.onRoles(ctx.selection.roles, group, async (host, selected) => {
        try {
          await bootRole(bootCtx, host, bootCtx.config.role(selected.name)!, version, barrier);
        } finally {
          if (selected.name === primary && --gatekeepers === 0) barrier?.close();
        }
      }, { parallel: boot.parallelRoles });
      await runHook(bootCtx, "post-app-boot", { hosts: group });
      if (boot.wait !== undefined) await ctx.clock.sleep(boot.wait * 1000);
    }
    await bootCtx.runner.onHosts(ctx.selection.appHosts, async (host) => {
      await audit(bootCtx, host, `Tagging ${bootCtx.config.absoluteImage} as the latest image`);
      await bootCtx.runner.run(host, tagLatestImage(bootCtx.config, version));
    });
  });
}

/** A container of this version already exists (e.g. a rollback): move it aside under a unique name. */
async function renameIfClashing(ctx: Context, host: string, role: Role, version: string): Promise<void> {
  const name = role.containerName(version);
  if ((await ctx.runner.capture(host, containerIdFor(name))) === "") return;
  const renamed = `${version}_replaced_${hex(8)}`;
  ctx.logger.info(`Renaming container ${version} to ${renamed} as already deployed on ${host}`);
  await audit(ctx, host, `Renaming container ${version} to ${renamed}`, { role: role.name });
  await ctx.runner.run(host, renameContainer(name, role.containerName(renamed)));
}

async function startNewVersion(ctx: Context, host: string, role: Role, version: string): Promise<void> {
  const { config, runner } = ctx;
  const name = role.containerName(version);
  await audit(ctx, host, `Booted app version ${version}`, { role: role.name });
  await runner.run(host, makeEnvDirectory(role));
  await runner.upload(host, role.secretEnvFile(host, config.secrets), role.secretsPath, 0o600);
  await runner.run(host, runContainer(config, role, { host, version, hostname: containerHostname(host, hex(6)) }));
  if (!role.runningProxy) return waitForHealthy(ctx, host, name);
  const id = await runner.capture(host, containerIdFor(name));
  if (id === "") throw new BootError(`Failed to get endpoint for ${role.name} on ${host}, did the container boot?`);
  await runner.run(host, deployToProxy(config, role, id, version));
}

/** The failing primary container's logs and health, so the reason is on screen. */
async function showFailure(ctx: Context, host: string, name: string, version: string): Promise<void> {
  const logs = await ctx.runner.exec(host, containerLogsTail(name), { level: "debug" });
  if (logs.code !== 0) return ctx.logger.info(`Could not fetch logs for ${version}`);
  ctx.logger.info(`Logs for ${name} on ${host}:\n${(logs.stdout + logs.stderr).trimEnd()}`);
  const health = await ctx.runner.exec(host, containerHealthLog(name), { level: "debug" });
  if (health.code === 0) ctx.logger.info(`Health for ${name} on ${host}: ${health.stdout.trim()}`);
}

/** The role whose first healthy container opens the barrier: the selection's primary role. */
const gatekeeperRole = (ctx: Context): string => ctx.selection.primaryRole?.name ?? ctx.config.primaryRoleName;

/** One role on one host (Kamal's App::Boot#run). */
export async function bootRole(ctx: Context, host: string, role: Role, version: string, barrier?: Barrier): Promise<void> {
  const primary = gatekeeperRole(ctx);
  const gatekeeper = barrier !== undefined && role.name === primary;
  const queuer = barrier !== undefined && !gatekeeper;
  await renameIfClashing(ctx, host, role, version);
  const oldVersion = await currentRunningVersion(ctx, host, role);
  if (queuer) {
    ctx.logger.info(`Waiting for the first healthy ${primary} container before booting ${role.name} on ${host}...`);
    if (!(await barrier.outcome)) {
      ctx.logger.info(`First ${primary} container is unhealthy, not booting ${role.name} on ${host}`);
      await barrier.wait();
    }
    ctx.logger.info(`First ${primary} container is healthy, booting ${role.name} on ${host}...`);
  }
  const name = role.containerName(version);
  try {
    await startNewVersion(ctx, host, role, version);
  } catch (e) {
    ctx.logger.error(` ERROR Failed to boot ${role.name} on ${host}`);
    if (gatekeeper && barrier.close()) {
      ctx.logger.info(`First ${primary} container is unhealthy on ${host}, not booting any other roles`);
      await showFailure(ctx, host, name, version);
    }
    await ctx.runner.exec(host, stopContainer(role, name));
    throw e;
  }
  if (gatekeeper && barrier.open()) ctx.logger.info(`First ${primary} container is healthy on ${host}, booting any other roles`);
  if (oldVersion !== undefined && oldVersion !== version) {
    await ctx.runner.exec(host, stopContainer(role, role.containerName(oldVersion)));
    if (role.assets) await ctx.runner.exec(host, cleanUpAssets(role, version));
    if (ctx.config.errorPagesPath !== undefined) await ctx.runner.exec(host, cleanUpErrorPages(ctx.config, version));
  }
}
