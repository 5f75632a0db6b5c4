// setup, deploy, redeploy and rollback (reference §4.1-§4.4). Build and pull happen before the lock (deploy,
// redeploy); everything that changes containers happens inside it; post-deploy runs after it is released.
import { containerIdFor } from "../commands/app/index.ts";
import { KamalError } from "../errors.ts";
import { messageOf } from "../exec/index.ts";
import type { Context } from "./context.ts";
import { appBoot } from "./app/boot.ts";
import { staleContainers } from "./app/containers.ts";
import { buildPull, deliver } from "./build.ts";
import { preConnect, runHook } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { bootProxy } from "./proxy.ts";
import { pruneAll } from "./prune.ts";
import { serverBootstrap } from "./server.ts";

export interface DeployOptions {
  /** -P: the image is already in the registry; only pull it on the hosts. */
  readonly skipPush?: boolean;
  readonly noCache?: boolean;
}

const seconds = (ctx: Context, startedMs: number): number => (ctx.clock.now().getTime() - startedMs) / 1000;

function sayFinished(ctx: Context, startedMs: number): number {
  const runtime = seconds(ctx, startedMs);
  ctx.logger.say(`  Finished all in ${runtime.toFixed(1)} seconds`);
  return runtime;
}

/** Build and push (or only pull with -P) the configured version. */
async function shipImage(ctx: Context, opts: DeployOptions): Promise<void> {
  if (opts.skipPush) {
    ctx.logger.say("Pull app image...", "magenta");
    await buildPull(ctx);
  } else {
    ctx.logger.say("Build and push app image...", "magenta");
    await deliver(ctx, { noCache: opts.noCache });
  }
}

async function deployUnderLock(ctx: Context, opts: { bootAccessories: boolean; proxy: boolean; prune: boolean }): Promise<void> {
  await runHook(ctx, "pre-deploy", { secrets: true });
  if (opts.proxy) {
    ctx.logger.say("Ensure kamal-proxy is running...", "magenta");
    await bootProxy(ctx);
  }
  if (opts.bootAccessories && ctx.config.accessories.length > 0) {
    ctx.logger.warn("Accessories are not booted by this build yet: run `kamal accessory boot all`");
  }
  ctx.logger.say("Detect stale containers...", "magenta");
  await staleContainers(ctx, { stop: true });
  await appBoot(ctx, ctx.config.version);
  if (opts.prune) {
    ctx.logger.say("Prune old containers and images...", "magenta");
    await pruneAll(ctx);
  }
}

/** `kamal deploy`: ship the image, then under the lock: pre-deploy, proxy, stale containers, boot, prune. */
export async function deploy(ctx: Context, opts: DeployOptions = {}): Promise<void> {
  const started = ctx.clock.now().getTime();
  await shipImage(ctx, opts);
  await withLock(ctx, () => deployUnderLock(ctx, { bootAccessories: false, proxy: true, prune: true }));
  const runtime = sayFinished(ctx, started);
  await runHook(ctx, "post-deploy", { secrets: true, runtime: Math.round(runtime) });
}

/** `kamal redeploy`: like deploy without the proxy boot and the prune. */
export async function redeploy(ctx: Context, opts: DeployOptions = {}): Promise<void> {
  const started = ctx.clock.now().getTime();
  await shipImage(ctx, opts);
  await withLock(ctx, () => deployUnderLock(ctx, { bootAccessories: false, proxy: false, prune: false }));
  const runtime = sayFinished(ctx, started);
  await runHook(ctx, "post-deploy", { secrets: true, runtime: Math.round(runtime) });
}

/** `kamal setup`: one lock around Docker bootstrap and a deploy (post-deploy runs inside it). */
export async function setup(ctx: Context, opts: DeployOptions = {}): Promise<void> {
  const started = ctx.clock.now().getTime();
  await preConnect(ctx);
  await withLock(ctx, async () => {
    ctx.logger.say("Ensure Docker is installed...", "magenta");
    await serverBootstrap(ctx);
    await shipImage(ctx, opts);
    await deployUnderLock(ctx, { bootAccessories: true, proxy: true, prune: true });
    const runtime = sayFinished(ctx, started);
    await runHook(ctx, "post-deploy", { secrets: true, runtime: Math.round(runtime) });
  });
}

/** Every selected (host, role) has a container of this version (running or not)? Throws with the first miss. */
async function checkVersionAvailable(ctx: Context, version: string): Promise<void> {
  await ctx.runner.onRoles(ctx.selection.roles, ctx.selection.appHosts, async (host, selected) => {
    const name = ctx.config.role(selected.name)!.containerName(version);
    if ((await ctx.runner.capture(host, containerIdFor(name))) === "") throw new KamalError(`Container not found: ${name}`);
  });
}

/** `kamal rollback VERSION`: boot a version whose containers are still on the hosts (no build, pull or prune). */
export async function rollback(ctx: Context, version: string): Promise<void> {
  const started = ctx.clock.now().getTime();
  await preConnect(ctx);
  const rolledBack = await withLock(ctx, async () => {
    const versioned: Context = { ...ctx, config: ctx.config.withVersion(version) };
    try {
      await checkVersionAvailable(versioned, version);
    } catch (e) {
      ctx.logger.error(`Error looking for container version ${version}: ${messageOf(e)}`);
      throw new KamalError(`The app version '${version}' is not available as a container (use 'kamal app containers' for available versions)`);
    }
    await runHook(versioned, "pre-deploy", { secrets: true });
    await appBoot(versioned, version);
    return versioned;
  });
  const runtime = sayFinished(ctx, started);
  await runHook(rolledBack, "post-deploy", { secrets: true, runtime: Math.round(runtime) });
}
