// `kamal app exec` (reference §1.3): CMD in a new container of the latest (or --version) image on every selected app
// host and role, or in the running container (--reuse); -i hands the terminal over through `ssh -t` on the primary host.
import { randomBytes } from "node:crypto";
import { execInExistingContainer, execInNewContainer, type ExecOptions } from "../../commands/app/exec.ts";
import { ArgumentError } from "../../errors.ts";
import { interactiveSshArgv } from "../../exec/index.ts";
import { renderCmd } from "../../shell/index.ts";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";
import { preConnect } from "../hooks.ts";
import { loginOnHosts } from "../registry.ts";
import { spawnInteractive, type InteractiveRunner } from "../server.ts";
import { eachAppRole, rolesOn, runningVersionOn } from "./roles.ts";

export interface AppExecOptions {
  interactive?: boolean;
  reuse?: boolean;
  /** -e KEY:VALUE */
  env?: Readonly<Record<string, string>>;
  detach?: boolean;
  raw?: boolean;
  /** --version given on the command line. */
  version?: string;
  /** Whether this side's stdin is a terminal (-it rather than -i for the remote docker). */
  stdinIsTTY?: boolean;
}

function checkOptions(words: readonly string[], opts: AppExecOptions): void {
  if (opts.detach && (opts.interactive || opts.reuse)) {
    const with_ = [opts.interactive && "interactive", opts.reuse && "reuse"].filter(Boolean).join(" or ");
    throw new ArgumentError(`Detach is not compatible with ${with_}`);
  }
  if (opts.raw && (opts.interactive || opts.detach)) throw new ArgumentError("Raw is not compatible with interactive or detach");
  if (words.length === 0) throw new ArgumentError("No command provided. You must specify a command to execute.");
}

const hex6 = (): string => randomBytes(3).toString("hex");

export async function appExec(ctx: Context, words: readonly string[], opts: AppExecOptions = {}, interactive: InteractiveRunner = spawnInteractive): Promise<number> {
  checkOptions(words, opts);
  await preConnect(ctx);
  const line = words.map((w) => w.trim()).join(" ");
  const say = (message: string) => { if (!opts.raw) ctx.logger.say(message, "magenta"); };
  const primaryHost = ctx.selection.primaryHost;
  const primaryRole = primaryHost === undefined ? undefined : rolesOn(ctx, primaryHost)[0];
  if (primaryHost === undefined || primaryRole === undefined) throw new ArgumentError("No app host selected to run the command on");

  const currentVersion = async (): Promise<string> => {
    if (opts.version !== undefined) return opts.version;
    say("Get current version of running container...");
    return (await runningVersionOn(ctx, primaryHost, primaryRole)) ?? ctx.config.version;
  };
  const latestVersion = (): string => {
    if (opts.version !== undefined) return opts.version;
    say("Get most recent version available as an image...");
    return ctx.config.latestTag;
  };
  const execOpts: ExecOptions = { env: opts.env, detach: opts.detach };

  if (opts.interactive) {
    const tty: ExecOptions = { ...execOpts, tty: opts.stdinIsTTY === false ? "i" : "it" };
    if (opts.reuse) {
      const version = await currentVersion();
      say(`Launching interactive command with version ${version} via SSH from existing container on ${primaryHost}...`);
      return interactive(interactiveSshArgv(primaryHost, ctx.ssh, renderCmd(execInExistingContainer(primaryRole, version, words, tty))));
    }
    const version = latestVersion();
    say(`Launching interactive command with version ${version} via SSH from new container on ${primaryHost}...`);
    await loginOnHosts(ctx, [primaryHost]);
    const command = execInNewContainer(ctx.config, primaryRole, primaryHost, version, hex6(), words, tty);
    return interactive(interactiveSshArgv(primaryHost, ctx.ssh, renderCmd(command)));
  }

  const version = opts.reuse ? await currentVersion() : latestVersion();
  say(`Launching command with version ${version} from ${opts.reuse ? "existing" : "new"} container...`);
  if (!opts.reuse) await loginOnHosts(ctx, ctx.selection.appHosts);
  await eachAppRole(ctx, async (host, role) => {
    await audit(ctx, host, `Executed cmd '${line}' on app version ${version}`, { role: role.name });
    const command = opts.reuse
      ? execInExistingContainer(role, version, words, execOpts)
      : execInNewContainer(ctx.config, role, host, version, hex6(), words, execOpts);
    if (opts.raw) {
      ctx.stdout.write((await ctx.runner.run(host, command, { level: "debug" })).stdout);
      return;
    }
    ctx.logger.putsByHost(host, await ctx.runner.capture(host, command, { level: "info" }), { quiet: ctx.options.quiet });
  });
  return 0;
}
