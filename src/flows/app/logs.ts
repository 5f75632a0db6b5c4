// `kamal app logs` (reference §1.3): the last lines of each role's current container on every selected app host
// ("Nothing found" where that fails), or -f: follow one host's log through `ssh -t` until Ctrl-C.
import { appLogs as appLogsCmd, followAppLogs } from "../../commands/app/logs.ts";
import { CommandFailed, interactiveSshArgv } from "../../exec/index.ts";
import { renderCmd } from "../../shell/index.ts";
import { logLines, type AccessoryLogsOptions } from "../accessory-exec.ts";
import type { Context } from "../context.ts";
import { preConnect } from "../hooks.ts";
import { spawnInteractive, type InteractiveRunner } from "../server.ts";
import { eachAppRole, rolesOn } from "./roles.ts";

export interface AppLogsOptions extends AccessoryLogsOptions {
  containerId?: string;
}

export async function appLogs(ctx: Context, opts: AppLogsOptions = {}, interactive: InteractiveRunner = spawnInteractive): Promise<number> {
  const base = { timestamps: !opts.skipTimestamps, since: opts.since, grep: opts.grep, grepOptions: opts.grepOptions, containerId: opts.containerId };
  const lines = logLines(opts);
  if (opts.follow) {
    const host = ctx.selection.primaryHost;
    const role = host === undefined ? undefined : rolesOn(ctx, host)[0];
    if (host === undefined || role === undefined) return 0;
    const line = renderCmd(followAppLogs(ctx.config, role, { ...base, lines }));
    ctx.logger.info(`Following logs on ${host}...`);
    ctx.logger.info(line);
    return interactive(interactiveSshArgv(host, ctx.ssh, line));
  }
  await preConnect(ctx);
  await eachAppRole(ctx, async (host, role) => {
    let out: string;
    try {
      out = await ctx.runner.capture(host, appLogsCmd(ctx.config, role, { ...base, lines }), { level: "info" });
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e;
      out = "Nothing found";
    }
    ctx.logger.putsByHost(host, out, { quiet: ctx.options.quiet });
  });
  return 0;
}
