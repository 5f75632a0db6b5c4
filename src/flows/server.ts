// `kamal server exec` and `kamal server bootstrap` (§1.10, §3.14).
import { spawnSync } from "node:child_process";
import { ArgumentError, KamalError } from "../errors.ts";
import { interactiveSshArgv, onHosts } from "../exec/index.ts";
import * as dockerCmds from "../commands/docker.ts";
import { ensureRunDirectory, userCommand } from "../commands/server.ts";
import type { Context } from "./context.ts";
import { audit } from "./audit.ts";
import { preConnect, runHook } from "./hooks.ts";
import { withLock } from "./lock.ts";

export interface ServerExecOptions {
  interactive?: boolean;
  raw?: boolean;
}

/** Runs `ssh -t` in the foreground for -i (the only place a terminal is handed over). Injectable for tests. */
export type InteractiveRunner = (argv: string[]) => number;
export const spawnInteractive: InteractiveRunner = (argv) => {
  const result = spawnSync(argv[0]!, argv.slice(1), { stdio: "inherit" });
  if (result.error) {
    const missing = (result.error as { code?: string }).code === "ENOENT";
    throw new KamalError(`Cannot start ${argv[0]} for the interactive session: ${missing ? "not found on PATH; install the OpenSSH client" : result.error.message}`);
  }
  return result.status ?? 1;
};

/** Returns the exit code (the interactive session's, or 0). Failures on hosts throw after every host finished. */
export async function serverExec(ctx: Context, words: readonly string[], opts: ServerExecOptions = {}, interactive = spawnInteractive): Promise<number> {
  if (words.length === 0) throw new ArgumentError("No command given: kamal server exec CMD");
  if (opts.interactive && opts.raw) throw new ArgumentError("--raw is not supported with --interactive");
  await preConnect(ctx);
  const line = words.join(" ");
  const hosts = ctx.selection.hosts;
  if (opts.interactive) {
    const host = ctx.selection.primaryHost;
    if (host === undefined) throw new ArgumentError("No primary host to run an interactive command on");
    ctx.logger.say(`Running '${line}' on ${host} interactively...`, "magenta");
    return interactive(interactiveSshArgv(host, ctx.ssh, line));
  }
  if (!opts.raw) ctx.logger.say(`Running '${line}' on ${hosts.join(", ")}...`, "magenta");
  await onHosts(hosts, async (host) => {
    await audit(ctx, host, `Executed cmd '${line}' on ${host}`);
    // --raw: stdout carries only the command's bytes, so the Running/Finished lines stay hidden (unless -v).
    if (opts.raw) {
      ctx.stdout.write((await ctx.runner.run(host, userCommand(words), { level: "debug" })).stdout);
      return;
    }
    const out = await ctx.runner.capture(host, userCommand(words), { level: "info" });
    ctx.logger.putsByHost(host, out, { quiet: ctx.options.quiet });
  });
  return 0;
}

/** Docker on every selected host (and accessory host): installs it where missing, then runs the docker-setup hook. */
export async function serverBootstrap(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    const hosts = [...new Set([...ctx.selection.hosts, ...ctx.selection.accessoryHosts])];
    const missing: string[] = [];
    await onHosts(hosts, async (host) => {
      const { runner } = ctx;
      if (!(await runner.test(host, dockerCmds.dockerInstalled()))) {
        if (await runner.test(host, dockerCmds.superuser())) {
          ctx.logger.info(`Missing Docker on ${host}. Installing…`);
          await runner.run(host, dockerCmds.installDocker());
        } else {
          missing.push(host);
          return;
        }
      }
      if (!(await runner.test(host, dockerCmds.root())) && !(await runner.test(host, dockerCmds.inDockerGroup()))) {
        await runner.run(host, dockerCmds.addToDockerGroup());
        // The SSH session must be renewed to see the new group; the kill ends it.
        await runner.exec(host, dockerCmds.refreshSession()).catch(() => undefined);
        ctx.logger.info("Session refreshed due to group change.");
      }
      await runner.run(host, ensureRunDirectory(ctx.config));
    });
    if (missing.length > 0) {
      throw new KamalError(
        `Docker is not installed on ${missing.join(", ")} and can't be automatically installed without having root access and either \`wget\` or \`curl\`. Install Docker manually: https://docs.docker.com/engine/install/`,
        "RuntimeError",
      );
    }
    await runHook(ctx, "docker-setup");
  });
}
