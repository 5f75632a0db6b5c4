// `kamal accessory boot|reboot|start|stop|restart|remove|upgrade|upload|directories|pull_image|remove_*` (reference §1.5).
// Every command runs on the accessory's hosts that the --hosts/--roles filters leave (Kamal's accessory_hosts & hosts).
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { envWithSecrets, type Accessory } from "../config/index.ts";
import { renderErb } from "../config/erb.ts";
import { ArgumentError, KamalError } from "../errors.ts";
import { messageOf, onHosts } from "../exec/index.ts";
import * as cmds from "../commands/accessory.ts";
import { audit } from "./audit.ts";
import { selectionOf, type Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { loginOnHosts } from "./registry.ts";
import { withLock } from "./lock.ts";

/** The accessory and the hosts to act on; Kamal's error when there is no such accessory. */
export function withAccessory(ctx: Context, name: string): { accessory: Accessory; hosts: string[] } {
  const accessory = ctx.config.accessories.find((a) => a.name === name);
  if (accessory === undefined) {
    const names = ctx.config.accessories.map((a) => a.name);
    throw new ArgumentError(`No accessory by the name of '${name}'${names.length > 0 ? ` (options: ${toSentence(names)})` : ""}`);
  }
  const selected = new Set(ctx.selection.accessoryHosts);
  return { accessory, hosts: accessory.hosts.filter((h) => selected.has(h)) };
}

/** ActiveSupport's Array#to_sentence: `a`, `a and b`, `a, b, and c`. */
export function toSentence(words: readonly string[]): string {
  if (words.length <= 2) return words.join(" and ");
  return `${words.slice(0, -1).join(", ")}, and ${words[words.length - 1]}`;
}

/** `all` means every accessory in the config, in its order. */
export const accessoryNames = (ctx: Context, name: string): string[] => (name === "all" ? ctx.config.accessories.map((a) => a.name) : [name]);

const alreadyExists = (e: unknown): boolean => messageOf(e).includes("already exists");

/** Registry login (the accessory's registry, else the app's) and the docker network, on the accessory's hosts. */
async function prepare(ctx: Context, name: string): Promise<void> {
  const { accessory, hosts } = withAccessory(ctx, name);
  await loginOnHosts(ctx, hosts, accessory.registry ?? ctx.config.registry);
  await onHosts(hosts, async (host) => {
    await ctx.runner.run(host, cmds.createNetwork(accessory.network)).catch((e) => {
      if (!alreadyExists(e)) throw e;
    });
  });
}

/** The local file's contents; `.erb` files rendered with the accessory's env (secrets included) in ENV, as Kamal does. */
function fileContent(ctx: Context, accessory: Accessory, local: string, erb: boolean): string | Uint8Array {
  const path = isAbsolute(local) ? local : join(ctx.cwd, local);
  if (!existsSync(path)) throw new KamalError(`Missing file: ${local}`, "RuntimeError");
  if (!erb) return readFileSync(path);
  const env = { ...ctx.env, ...envWithSecrets(accessory.env, ctx.config.secrets) };
  return renderErb(readFileSync(path, "utf8"), { file: local, env, cwd: ctx.cwd });
}

export async function accessoryUpload(ctx: Context, name: string): Promise<void> {
  await withLock(ctx, async () => {
    const { accessory, hosts } = withAccessory(ctx, name);
    const files = accessory.files.map((f) => ({ ...f, content: fileContent(ctx, accessory, f.local, f.erb === true) }));
    await onHosts(hosts, async (host) => {
      for (const file of files) {
        await ctx.runner.run(host, cmds.makeDirectoryFor(file.hostPath));
        await ctx.runner.upload(host, file.content, file.hostPath);
        if (file.mode !== undefined) await ctx.runner.run(host, cmds.chmod(file.mode, file.hostPath));
        if (file.owner !== undefined) await ctx.runner.run(host, cmds.chown(file.owner, file.hostPath));
      }
    });
  });
}

export async function accessoryDirectories(ctx: Context, name: string): Promise<void> {
  await withLock(ctx, async () => {
    const { accessory, hosts } = withAccessory(ctx, name);
    await onHosts(hosts, async (host) => {
      for (const dir of accessory.directories) {
        await ctx.runner.run(host, cmds.makeDirectory(dir.local));
        if (dir.mode !== undefined) await ctx.runner.run(host, cmds.chmod(dir.mode, dir.local));
        if (dir.owner !== undefined) await ctx.runner.run(host, cmds.chown(dir.owner, dir.local));
      }
    });
  });
}

/** Point kamal-proxy at the running accessory container (proxied accessories). */
async function deployToProxy(ctx: Context, accessory: Accessory, host: string): Promise<void> {
  const target = await ctx.runner.capture(host, cmds.runningContainerId(accessory), { level: "info" });
  const flags = accessory.proxy!.deployFlags({
    deployTimeout: ctx.config.deployTimeout, drainTimeout: ctx.config.drainTimeout, serviceAndDestination: ctx.config.serviceAndDestination,
  });
  await ctx.runner.run(host, cmds.proxyDeploy(accessory, target, flags));
}

export async function accessoryBoot(ctx: Context, name: string, opts: { prepare?: boolean } = {}): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    for (const one of accessoryNames(ctx, name)) {
      if (opts.prepare !== false) await prepare(ctx, one);
      const { accessory, hosts } = withAccessory(ctx, one);
      const booted: string[] = [];
      await onHosts(hosts, async (host) => {
        if ((await ctx.runner.capture(host, cmds.info(accessory, { all: true, quiet: true }), { level: "info" })) !== "") booted.push(host);
      });
      if (booted.length > 0) ctx.logger.say(`Skipping booting \`${one}\` on ${booted.sort().join(", ")}, a container already exists`, "yellow");
      await accessoryDirectories(ctx, one);
      await accessoryUpload(ctx, one);
      const envFile = accessory.secretEnvFile(ctx.config.secrets);
      await onHosts(hosts.filter((h) => !booted.includes(h)), async (host) => {
        await audit(ctx, host, `Booted ${one} accessory`);
        await ctx.runner.run(host, cmds.ensureEnvDirectory(accessory));
        await ctx.runner.upload(host, envFile, accessory.secretsPath, 0o600);
        await ctx.runner.run(host, cmds.run(accessory, ctx.config.logging, host));
        if (accessory.runningProxy) await deployToProxy(ctx, accessory, host);
      });
    }
  });
}

/** Runs `step` on each host of the accessory (or of every accessory for `all`), under the lock. */
async function eachHost(ctx: Context, name: string, step: (accessory: Accessory, host: string, one: string) => Promise<void>): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    for (const one of accessoryNames(ctx, name)) {
      const { accessory, hosts } = withAccessory(ctx, one);
      await onHosts(hosts, (host) => step(accessory, host, one));
    }
  });
}

export const accessoryStart = (ctx: Context, name: string): Promise<void> =>
  eachHost(ctx, name, async (accessory, host, one) => {
    await audit(ctx, host, `Started ${one} accessory`);
    await ctx.runner.run(host, cmds.start(accessory));
    if (accessory.runningProxy) await deployToProxy(ctx, accessory, host);
  });

export const accessoryStop = (ctx: Context, name: string): Promise<void> =>
  eachHost(ctx, name, async (accessory, host, one) => {
    await audit(ctx, host, `Stopped ${one} accessory`);
    await ctx.runner.exec(host, cmds.stop(accessory));
    if (accessory.runningProxy) await ctx.runner.exec(host, cmds.proxyRemove(accessory));
  });

export async function accessoryRestart(ctx: Context, name: string): Promise<void> {
  await withLock(ctx, async () => {
    await accessoryStop(ctx, name);
    await accessoryStart(ctx, name);
  });
}

export const accessoryPullImage = (ctx: Context, name: string): Promise<void> =>
  eachHost(ctx, name, async (accessory, host, one) => {
    await audit(ctx, host, `Pull ${one} accessory image`);
    await ctx.runner.run(host, cmds.pullImage(accessory));
  });

export const accessoryRemoveContainer = (ctx: Context, name: string): Promise<void> =>
  eachHost(ctx, name, async (accessory, host, one) => {
    await audit(ctx, host, `Remove ${one} accessory container`);
    await ctx.runner.run(host, cmds.removeContainer(accessory));
  });

export const accessoryRemoveImage = (ctx: Context, name: string): Promise<void> =>
  eachHost(ctx, name, async (accessory, host, one) => {
    await audit(ctx, host, `Removed ${one} accessory image`);
    await ctx.runner.run(host, cmds.removeImage(accessory));
  });

export const accessoryRemoveServiceDirectory = (ctx: Context, name: string): Promise<void> =>
  eachHost(ctx, name, (accessory, host) => ctx.runner.run(host, cmds.removeServiceDirectory(accessory)).then(() => undefined));

/** prepare, pull, stop, remove the container, boot again (files and directories stay). */
export async function accessoryReboot(ctx: Context, name: string): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    for (const one of accessoryNames(ctx, name)) {
      await prepare(ctx, one);
      await accessoryPullImage(ctx, one);
      await accessoryStop(ctx, one);
      await accessoryRemoveContainer(ctx, one);
      await accessoryBoot(ctx, one, { prepare: false });
    }
  });
}

/** stop, remove container, image and the service directory (files and data). The prompt is the CLI's. */
export async function accessoryRemove(ctx: Context, name: string): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    for (const one of accessoryNames(ctx, name)) {
      await accessoryStop(ctx, one);
      await accessoryRemoveContainer(ctx, one);
      await accessoryRemoveImage(ctx, one);
      await accessoryRemoveServiceDirectory(ctx, one);
    }
  });
}

/** Kamal 1 -> 2: reboot the accessories (into the `kamal` network), one host at a time with --rolling. */
export async function accessoryUpgrade(ctx: Context, name: string, opts: { rolling?: boolean } = {}): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    const groups = opts.rolling ? ctx.selection.accessoryHosts.map((h) => [h]) : [ctx.selection.accessoryHosts];
    for (const hosts of groups) {
      const list = hosts.join(",");
      ctx.logger.say(`Upgrading ${name} accessories on ${list}...`, "magenta");
      await accessoryReboot({ ...ctx, selection: selectionOf(ctx.config, { hosts }) }, name);
      ctx.logger.say(`Upgraded ${name} accessories on ${list}...`, "magenta");
    }
  });
}
