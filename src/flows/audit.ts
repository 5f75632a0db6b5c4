// The audit log (§3.9): record a line on hosts, and `kamal audit` (the last 50 lines of every selected host).
import { onHosts } from "../exec/index.ts";
import { recordAudit, revealAudit, type Tags } from "../commands/auditor.ts";
import { defaultTags, type Context } from "./context.ts";
import { preConnect } from "./hooks.ts";

/** Append `message` to the audit log on one host (hidden unless -v, like Kamal). Extra tags such as { role } follow the defaults. */
export async function audit(ctx: Context, host: string, message: string, details: Tags = {}): Promise<void> {
  await ctx.runner.run(host, recordAudit(ctx.config, { ...defaultTags(ctx), ...details }, message), { level: "debug" });
}

/** `kamal audit`: `App Host: <h>\n<lines>\n\n` for every selected host, fail-slow. */
export async function auditCommand(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await onHosts(ctx.selection.hosts, async (host) => {
    const lines = await ctx.runner.capture(host, revealAudit(ctx.config), { level: "info" });
    ctx.logger.putsByHost(host, lines, { quiet: ctx.options.quiet });
  });
}
