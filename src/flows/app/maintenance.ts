// `kamal app maintenance|live` (reference §1.3): kamal-proxy stops the app's service (503 with the error page and
// message) or resumes it, on every proxy role of the selected hosts.
import { resumeInProxy, stopInProxy } from "../../commands/app/proxy.ts";
import type { Context } from "../context.ts";
import { preConnect } from "../hooks.ts";
import { withLock } from "../lock.ts";
import { eachAppRole } from "./roles.ts";

export async function appMaintenance(ctx: Context, opts: { drainTimeout?: number; message?: string } = {}): Promise<void> {
  await preConnect(ctx);
  const drainTimeout = opts.drainTimeout ?? ctx.config.drainTimeout;
  await withLock(ctx, () =>
    eachAppRole(ctx, async (host, role) => {
      if (role.runningProxy) await ctx.runner.run(host, stopInProxy(role, { drainTimeout, message: opts.message }));
    }, ctx.selection.proxyHosts));
}

export async function appLive(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () =>
    eachAppRole(ctx, async (host, role) => {
      if (role.runningProxy) await ctx.runner.run(host, resumeInProxy(role));
    }, ctx.selection.proxyHosts));
}
