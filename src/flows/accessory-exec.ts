// `kamal accessory details|exec|logs` (reference §1.5): read-only, no lock.
import { ArgumentError } from "../errors.ts";
import { interactiveSshArgv, onHosts } from "../exec/index.ts";
import * as cmds from "../commands/accessory.ts";
import { renderCmd, type Cmd } from "../shell/index.ts";
import { accessoryNames, withAccessory } from "./accessory.ts";
import { audit } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { loginOnHosts } from "./registry.ts";
import { spawnInteractive, type InteractiveRunner } from "./server.ts";

/** `Accessory <name> Host: <h>` + `docker ps` for each host (every accessory for `all`). */
export async function accessoryDetails(ctx: Context, name: string): Promise<void> {
  await preConnect(ctx);
  for (const one of accessoryNames(ctx, name)) {
    const { accessory, hosts } = withAccessory(ctx, one);
    await onHosts(hosts, async (host) => {
      const out = await ctx.runner.capture(host, cmds.info(accessory), { level: "info" });
      ctx.logger.putsByHost(host, out, { type: `Accessory ${one}`, quiet: ctx.options.quiet });
    });
  }
}

export interface AccessoryExecOptions {
  interactive?: boolean;
  reuse?: boolean;
  raw?: boolean;
}

/** Runs CMD in a new container (default) or the running one (--reuse); -i hands the terminal over through `ssh -t`. */
export async function accessoryExec(
  ctx: Context, name: string, words: readonly string[], opts: AccessoryExecOptions = {}, interactive: InteractiveRunner = spawnInteractive,
): Promise<number> {
  if (opts.raw && opts.interactive) throw new ArgumentError("Raw is not compatible with interactive");
  if (words.length === 0) throw new ArgumentError("No command provided. You must specify a command to execute.");
  await preConnect(ctx);
  const line = words.map((w) => w.trim()).join(" ");
  const { accessory, hosts } = withAccessory(ctx, name);
  const say = (message: string) => { if (!opts.raw) ctx.logger.say(message, "magenta"); };
  if (opts.interactive) {
    const host = accessory.hosts[0];
    if (opts.reuse) {
      say("Launching interactive command via SSH from existing container...");
      return interactive(interactiveSshArgv(host, ctx.ssh, renderCmd(cmds.executeInExistingContainer(accessory, words, { interactive: true }))));
    }
    say("Launching interactive command via SSH from new container...");
    await loginOnHosts(ctx, [host], accessory.registry ?? ctx.config.registry);
    return interactive(interactiveSshArgv(host, ctx.ssh, renderCmd(cmds.executeInNewContainer(accessory, words, { interactive: true }))));
  }
  say(opts.reuse ? "Launching command from existing container..." : "Launching command from new container...");
  const command: Cmd = opts.reuse ? cmds.executeInExistingContainer(accessory, words) : cmds.executeInNewContainer(accessory, words);
  if (!opts.reuse) await loginOnHosts(ctx, hosts, accessory.registry ?? ctx.config.registry);
  await onHosts(hosts, async (host) => {
    await audit(ctx, host, `Executed cmd '${line}' on ${name} accessory`);
    if (opts.raw) {
      ctx.stdout.write((await ctx.runner.run(host, command, { level: "debug" })).stdout);
      return;
    }
    ctx.logger.putsByHost(host, await ctx.runner.capture(host, command, { level: "info" }), { quiet: ctx.options.quiet });
  });
  return 0;
}

export interface AccessoryLogsOptions {
  since?: string;
  lines?: number;
  grep?: string;
  grepOptions?: string;
  follow?: boolean;
  skipTimestamps?: boolean;
}

/** Kamal's defaults: 100 lines (10 when following) unless --since or --grep narrow the output. */
export const logLines = (opts: AccessoryLogsOptions): number | undefined =>
  opts.lines ?? (opts.since !== undefined || opts.grep !== undefined ? undefined : opts.follow ? 10 : 100);

/** Log lines from every host (default the last 100), or -f: follow on the first host through `ssh -t` (last 10 first). */
export async function accessoryLogs(
  ctx: Context, name: string, opts: AccessoryLogsOptions = {}, interactive: InteractiveRunner = spawnInteractive,
): Promise<number> {
  const { accessory, hosts } = withAccessory(ctx, name);
  const base = { timestamps: !opts.skipTimestamps, since: opts.since, grep: opts.grep, grepOptions: opts.grepOptions };
  const lines = logLines(opts);
  if (opts.follow) {
    if (hosts.length === 0) return 0;
    const line = renderCmd(cmds.followLogs(accessory, { ...base, lines }));
    ctx.logger.info(`Following logs on ${hosts[0]}...`);
    ctx.logger.info(line);
    return interactive(interactiveSshArgv(hosts[0], ctx.ssh, line));
  }
  await preConnect(ctx);
  await onHosts(hosts, async (host) => {
    ctx.logger.say(await ctx.runner.capture(host, cmds.logs(accessory, { ...base, lines }), { level: "info" }));
  });
  return 0;
}
