// `kamal registry setup|remove|login|logout` (reference §1.7) and the logins other flows need.
//
//   await loginOnHosts(ctx, ctx.selection.appHosts);                    // app registry on hosts (no-op for a local one)
//   await loginOnHosts(ctx, accessory.hosts, accessory.registry);        // an accessory's own registry
//   await registryLogin(ctx, { skipLocal: true });                       // Kamal's `registry login -L`
//
// The password goes to `docker login --password-stdin` on stdin (Kamal puts it on the command line with -p, where
// every user of the host can read it in the process list); the user name and password are redacted in every log line.
import type { RegistryConfig } from "../config/registry.ts";
import { KamalError } from "../errors.ts";
import { CommandFailed, LOCALHOST, onHosts } from "../exec/index.ts";
import * as registryCmds from "../commands/registry.ts";
import { dockerVersion } from "../commands/builder/index.ts";
import { DependencyError } from "../errors.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";

export interface RegistryOptions {
  /** -L: nothing on this machine. */
  skipLocal?: boolean;
  /** -R: nothing on the hosts. */
  skipRemote?: boolean;
}

/** The last non-empty line of a command's error output (docker's own reason). */
function reasonOf(e: CommandFailed): string {
  const lines = `${e.stderr}\n${e.stdout}`.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith("Error")) ?? lines[lines.length - 1] ?? `exit status ${e.code}`;
}

/** `docker login` with `registry` (default: the app's) on each host, LOCALHOST meaning this machine. Nothing for a local registry. */
export async function loginOnHosts(ctx: Context, hosts: readonly string[], registry: RegistryConfig = ctx.config.registry): Promise<void> {
  if (registry.local || hosts.length === 0) return;
  const username = registry.username(ctx.config.secrets) ?? "";
  const password = registry.password(ctx.config.secrets) ?? "";
  const login = registryCmds.login(registry, username);
  const each = async (host: string): Promise<void> => {
    try {
      await ctx.runner.run(host, login, { stdin: password, secrets: [password, username].filter(Boolean) });
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e;
      const where = host === LOCALHOST ? "locally" : `on ${host}`;
      throw new KamalError(`Failed to log in to ${registryCmds.registryName(registry)} ${where}: ${reasonOf(e)}`, "SSHKit::Command::Failed");
    }
  };
  if (hosts.length === 1 && hosts[0] === LOCALHOST) return each(LOCALHOST);
  await onHosts(hosts, each);
}

/** `docker logout` from `registry` on each host (LOCALHOST = this machine). */
export async function logoutOnHosts(ctx: Context, hosts: readonly string[], registry: RegistryConfig = ctx.config.registry): Promise<void> {
  if (hosts.length === 0) return;
  if (hosts.length === 1 && hosts[0] === LOCALHOST) { await ctx.runner.run(LOCALHOST, registryCmds.logout(registry)); return; }
  await onHosts(hosts, async (host) => { await ctx.runner.run(host, registryCmds.logout(registry)); });
}

/** Start the local registry container on this machine (`registry.server: localhost:<port>`). */
export async function startLocalRegistry(ctx: Context, registry: RegistryConfig = ctx.config.registry): Promise<void> {
  await ctx.runner.run(LOCALHOST, registryCmds.setupLocalRegistry(registry));
}

async function ensureLocalDocker(ctx: Context): Promise<void> {
  const result = await ctx.runner.exec(LOCALHOST, dockerVersion());
  if (result.code !== 0) throw new DependencyError("Docker is not installed locally; install it (e.g. apt-get install docker.io) and try again");
}

/** `kamal registry setup`: the local registry on this machine, or `docker login` here and on every selected host. */
export async function registrySetup(ctx: Context, opts: RegistryOptions = {}): Promise<void> {
  const { registry } = ctx.config;
  if (!opts.skipLocal) await ensureLocalDocker(ctx);
  if (registry.local) {
    if (!opts.skipLocal) await startLocalRegistry(ctx);
    return;
  }
  if (!opts.skipLocal) await loginOnHosts(ctx, [LOCALHOST]);
  if (!opts.skipRemote) {
    await preConnect(ctx);
    await loginOnHosts(ctx, ctx.selection.hosts);
  }
}

/** `kamal registry remove`: stop and remove the local registry, or `docker logout` here and on every selected host. */
export async function registryRemove(ctx: Context, opts: RegistryOptions = {}): Promise<void> {
  const { registry } = ctx.config;
  if (registry.local) {
    if (!opts.skipLocal) await ctx.runner.exec(LOCALHOST, registryCmds.removeLocalRegistry());
    return;
  }
  if (!opts.skipLocal) await logoutOnHosts(ctx, [LOCALHOST]);
  if (!opts.skipRemote) {
    await preConnect(ctx);
    await logoutOnHosts(ctx, ctx.selection.hosts);
  }
}

/** `kamal registry login` (refused for a local registry, like Kamal). */
export async function registryLogin(ctx: Context, opts: RegistryOptions = {}): Promise<void> {
  if (ctx.config.registry.local) throw new KamalError("Cannot use login command with a local registry. Use `kamal registry setup` instead.", "RuntimeError");
  await registrySetup(ctx, opts);
}

/** `kamal registry logout` (refused for a local registry, like Kamal). */
export async function registryLogout(ctx: Context, opts: RegistryOptions = {}): Promise<void> {
  if (ctx.config.registry.local) throw new KamalError("Cannot use logout command with a local registry. Use `kamal registry remove` instead.", "RuntimeError");
  await registryRemove(ctx, opts);
}
