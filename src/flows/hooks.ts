// Local hooks (§4.7): `<hooks_path>/<name>` runs on this machine with every KAMAL_* variable; -H skips them all.
// A failing hook aborts the command: HookError "Hook `<name>` failed:\n<command, exit status, its stdout and stderr>".
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { HookError } from "../errors.ts";
import { CommandFailed, LOCALHOST } from "../exec/index.ts";
import { hookEnv, hookFile, makeHookExecutable, runHook as hookCmd } from "../commands/hook.ts";
import { displayCmd } from "../shell/index.ts";
import { defaultTags, type Context } from "./context.ts";

export interface HookOptions {
  /** KAMAL_HOSTS for this run of the hook (default: the selected hosts). */
  hosts?: readonly string[];
  /** KAMAL_RUNTIME (post-deploy), seconds. */
  runtime?: number;
  /** Pass every secret as an environment variable (pre-connect, pre-deploy, post-deploy). */
  secrets?: boolean;
}

export function hookPath(ctx: Context, name: string): string {
  const file = hookFile(ctx.config.hooksPath, name);
  return isAbsolute(file) ? file : join(ctx.cwd, file);
}

export const hookExists = (ctx: Context, name: string): boolean => existsSync(hookPath(ctx, name));

/** The hook's environment: Kamal's tags as KAMAL_* variables (plus the secrets when asked). */
export function hookEnvironment(ctx: Context, opts: HookOptions = {}): Record<string, string> {
  const tags = {
    ...defaultTags(ctx),
    hosts: (opts.hosts ?? ctx.selection.hosts).join(","),
    roles: ctx.options.roles && ctx.options.roles.length > 0 ? ctx.selection.roles.map((r) => r.name).join(",") : undefined,
    lock: String(ctx.state.holdingLock),
    command: ctx.command.command,
    subcommand: ctx.command.subcommand,
    runtime: opts.runtime === undefined ? undefined : String(opts.runtime),
  };
  const secrets = opts.secrets ? allSecrets(ctx) : {};
  return hookEnv(tags, secrets);
}

function allSecrets(ctx: Context): Record<string, string> {
  const lookup = ctx.config.secrets as { all?: () => Record<string, string> };
  return typeof lookup.all === "function" ? lookup.all() : {};
}

/** Run one hook if it exists (and hooks are not skipped). */
export async function runHook(ctx: Context, name: string, opts: HookOptions = {}): Promise<void> {
  if (ctx.options.skipHooks || !hookExists(ctx, name)) return;
  checkRunnable(ctx, name);
  const setting = ctx.config.hooksOutputFor(name);
  const showOutput = setting === "verbose" && ctx.options.verbosity === "info";
  const env = hookEnvironment(ctx, opts);
  try {
    await ctx.runner.run(LOCALHOST, hookCmd(ctx.config.hooksPath, name), {
      env,
      cwd: ctx.cwd,
      level: setting === "quiet" ? "debug" : "info",
      secrets: opts.secrets ? Object.values(allSecrets(ctx)) : [],
      onStdout: showOutput ? (chunk) => ctx.logger.writeRaw(chunk) : undefined,
    });
  } catch (e) {
    if (e instanceof CommandFailed) throw new HookError(`Hook \`${name}\` failed:\n${e.message}`);
    throw e;
  }
}

/** A hook that is there but cannot run fails with how to fix it, not with /usr/bin/env's "Permission denied". */
function checkRunnable(ctx: Context, name: string): void {
  const path = hookPath(ctx, name);
  const shown = hookFile(ctx.config.hooksPath, name);
  if (!statSync(path).isFile()) throw new HookError(`Hook \`${name}\` is not a file: ${shown}`);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new HookError(`Hook \`${name}\` is not executable: ${shown}; make it so with: ${displayCmd(makeHookExecutable(ctx.config.hooksPath, name))}`);
  }
}

/** pre-connect: once per process, before the first SSH connection. */
export async function preConnect(ctx: Context): Promise<void> {
  if (ctx.state.connected) return;
  ctx.state.connected = true;
  await runHook(ctx, "pre-connect", { secrets: true });
}
