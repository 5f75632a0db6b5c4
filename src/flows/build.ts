// `kamal build push|pull|deliver` (reference §1.6, §4.1 step 3). Other flows call these:
//
//   await deliver(ctx, { noCache });   // deploy/setup/redeploy without -P: build, push, then pull on every app host
//   await buildPull(ctx);              // with -P
//
// push: pre-connect hook, local docker (and buildx) check, local registry start or `docker login` here, pre-build
// hook, the uncommitted-changes warning, the git clone (§5a) unless `builder.context` is set, the builder check
// (created when missing), then the build in the clone's build directory. Without buildx a plain local build for
// this machine's arch falls back to the classic builder (`DOCKER_BUILDKIT=0 docker build` + `docker push`).
// pull: `docker login` on app hosts (or SSH forwards to a local registry), mirror seeding, then per host: audit,
// remove the old image, pull, and check the `service` label.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { clonePaths, prepareClone } from "../build/clone.ts";
import { withRegistryForwards } from "../build/port-forwarding.ts";
import * as builderCmds from "../commands/builder/index.ts";
import { gitRevision, gitRoot, gitUncommittedChanges } from "../config/git.ts";
import { BuildError } from "../errors.ts";
import { CommandFailed, LOCALHOST, onHosts } from "../exec/index.ts";
import { displayCmd, type Cmd } from "../shell/index.ts";
import { audit } from "./audit.ts";
import { resolveBuilder, type BuildPlan } from "./build-builder.ts";
import type { Context } from "./context.ts";
import { preConnect, runHook } from "./hooks.ts";
import { loginOnHosts, startLocalRegistry } from "./registry.ts";

export interface BuildPushOptions {
  /** buildx --output type; default "registry". */
  output?: string;
  noCache?: boolean;
}

/** How many lines of a failed build's output the error shows. */
const FAILED_BUILD_LINES = 20;

/** `kamal build push`. Throws BuildError / DependencyError / HookError; nothing is pushed when the build fails. */
export async function buildPush(ctx: Context, opts: BuildPushOptions = {}): Promise<void> {
  const { config, logger } = ctx;
  await preConnect(ctx);
  const plan = await resolveBuilder(ctx);
  if (config.registry.local) await startLocalRegistry(ctx);
  else if (plan.builder.loginLocally) await loginOnHosts(ctx, [LOCALHOST]);
  await runHook(ctx, "pre-build");

  const changes = gitUncommittedChanges(ctx.cwd);
  let buildDirectory = ctx.cwd;
  if (config.builder.gitClone) {
    if (changes !== "") logger.say(`Building from a local git clone, so ignoring these uncommitted changes:\n ${changes}`, "yellow");
    const root = gitRoot(ctx.cwd);
    const paths = clonePaths(config.builder.cloneDirectory(tmpdir(), ctx.cwd), ctx.cwd, root);
    await prepareClone(ctx.runner, logger, paths, gitRevision(ctx.cwd));
    buildDirectory = paths.buildDirectory;
  } else if (changes !== "") {
    logger.say(`Building with uncommitted changes:\n ${changes}`, "yellow");
  }

  await forwardForRemoteBuilder(ctx, plan, async () => {
    if (!plan.classic) await ensureBuilder(ctx, plan.builder);
    checkDockerfile(ctx);
    await build(ctx, plan, buildDirectory, opts);
  });
}

/** `kamal build pull`: the image on every selected app host, checked for the `service` label. */
export async function buildPull(ctx: Context): Promise<void> {
  const { config, selection } = ctx;
  await preConnect(ctx);
  if (!config.registry.local) await loginOnHosts(ctx, selection.appHosts);
  const pullAll = async (): Promise<void> => {
    const seeders = await mirrorHosts(ctx);
    if (seeders.length > 0) {
      ctx.logger.say(`Pulling image on ${seeders.join(", ")} to seed the ${seeders.length === 1 ? "mirror" : "mirrors"}...`, "magenta");
      await pullOnHosts(ctx, seeders);
      ctx.logger.say("Pulling image on remaining hosts...", "magenta");
      await pullOnHosts(ctx, selection.appHosts.filter((h) => !seeders.includes(h)));
    } else {
      await pullOnHosts(ctx, selection.appHosts);
    }
  };
  if (config.registry.local) await withRegistryForwards(ctx.runner, ctx.logger, selection.hosts, config.registry.localPort ?? 0, pullAll);
  else await pullAll();
}

/** `kamal build deliver`: push, then pull. */
export async function deliver(ctx: Context, opts: BuildPushOptions = {}): Promise<void> {
  await buildPush(ctx, opts);
  await buildPull(ctx);
}

async function pullOnHosts(ctx: Context, hosts: readonly string[]): Promise<void> {
  const { config, runner } = ctx;
  await onHosts(hosts, async (host) => {
    await audit(ctx, host, `Pulled image with version ${config.version}`);
    await runner.exec(host, builderCmds.cleanImage(config));
    await runner.run(host, builderCmds.pullImage(config));
    await runner.run(host, builderCmds.validateImage(config));
  });
}

/** With several app hosts: one host per distinct registry mirror, to pull first. */
async function mirrorHosts(ctx: Context): Promise<string[]> {
  const hosts = ctx.selection.appHosts;
  if (hosts.length < 2) return [];
  const byMirror = new Map<string, string>();
  await onHosts(hosts, async (host) => {
    try {
      const mirror = await ctx.runner.capture(host, builderCmds.firstMirror(), { level: "info" });
      if (mirror !== "" && !byMirror.has(mirror)) byMirror.set(mirror, host);
    } catch (e) {
      if (!(e instanceof CommandFailed && /error calling index: reflect: slice index out of range/.test(e.message))) throw e;
    }
  });
  return [...byMirror.values()];
}

/** Kamal: inspect; on a missing builder warn, remove (ignoring "missing" errors) and create. */
async function ensureBuilder(ctx: Context, builder: builderCmds.Builder): Promise<void> {
  const inspect = builder.inspect();
  if (!inspect) return;
  try {
    await ctx.runner.run(LOCALHOST, inspect);
  } catch (e) {
    if (!(e instanceof CommandFailed) || !/(context not found|no builder|no compatible builder|does not exist)/.test(e.message)) throw e;
    ctx.logger.warn("Missing compatible builder, so creating a new one first");
    const remove = builder.remove();
    if (remove) {
      try {
        await ctx.runner.run(LOCALHOST, remove);
      } catch (removeError) {
        if (!(removeError instanceof CommandFailed) || !/(context not found|no builder|does not exist)/.test(e.message)) throw removeError;
      }
    }
    const create = builder.create();
    if (create) await ctx.runner.run(LOCALHOST, create);
  }
}

/** Kamal checks the Dockerfile relative to where kamal runs, before the build. */
function checkDockerfile(ctx: Context): void {
  const file = ctx.config.builder.dockerfile;
  if (ctx.config.builder.pack) return;
  if (!existsSync(isAbsolute(file) ? file : join(ctx.cwd, file))) throw new BuildError(`Missing ${file}`);
}

/** The build secrets' values for the build's environment (never on its command line). */
function buildSecrets(ctx: Context): Record<string, string> {
  return Object.fromEntries(ctx.config.builder.secretKeys.map((k) => [k, ctx.config.secrets.get(k)]));
}

async function build(ctx: Context, plan: BuildPlan, directory: string, opts: BuildPushOptions): Promise<void> {
  const { config } = ctx;
  const secrets = buildSecrets(ctx);
  // Kamal streams the build's output at the default verbosity (with_verbosity(:debug)).
  const runner = ctx.options.verbosity === "error" ? ctx.runner : ctx.runner.withVerbosity("debug");
  const run = async (c: Cmd, what: string): Promise<void> => {
    try {
      await runner.run(LOCALHOST, c, { cwd: directory, env: { ...plan.builder.pushEnv, ...secrets }, secrets: Object.values(secrets) });
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e;
      const lines = `${e.stdout}\n${e.stderr}`.split("\n").filter((l) => l.trim() !== "").slice(-FAILED_BUILD_LINES);
      throw new BuildError(`${what} failed (exit status ${e.code}): ${displayCmd(c)}${lines.length ? `\n${lines.join("\n")}` : ""}`);
    }
  };
  if (!plan.classic) return run(plan.builder.push({ output: opts.output, noCache: opts.noCache }), `Building ${config.absoluteImage}`);
  const output = opts.output ?? "registry";
  if (output !== "registry" && output !== "docker") {
    throw new BuildError(`--output=type=${output} needs Docker buildx, which is not installed locally (the classic builder supports registry and docker)`);
  }
  await run(builderCmds.classicBuild(config, { noCache: opts.noCache }), `Building ${config.absoluteImage}`);
  if (output === "registry") for (const push of builderCmds.classicPushes(config)) await run(push, "Pushing the image");
}

/** A remote builder pushing to a local registry reaches it through a forward on the builder host. */
async function forwardForRemoteBuilder(ctx: Context, plan: BuildPlan, fn: () => Promise<void>): Promise<void> {
  const { registry, builder } = ctx.config;
  if (!registry.local || (plan.builder.kind !== "remote" && plan.builder.kind !== "hybrid")) return fn();
  const host = new URL(builder.remote ?? "").hostname;
  await withRegistryForwards(ctx.runner, ctx.logger, [host], registry.localPort ?? 0, fn);
}
