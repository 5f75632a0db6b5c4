// kamal-proxy on the hosts (§1.4, §3.6): `bootProxy` (what setup and deploy call) and `kamal proxy boot|reboot|…`.
// Beyond Kamal: where the boot line would run the default image (basecamp/kamal-proxy:v0.9.2) and the host lacks our
// exact image, the image written from this executable (of the host's architecture) is streamed to `docker load` first.
import { ExecutableProxyImages, type ProxyImageSource } from "../build/proxy-images.ts";
import { currentProcess, dockerArchitectureOfMachine } from "../build/proxy-executable.ts";
import { PROXY_MINIMUM_VERSION } from "../config/proxy.ts";
import * as proxy from "../commands/proxy.ts";
import { ArgumentError, KamalError } from "../errors.ts";
import { CommandFailed, interactiveSshArgv, onHosts } from "../exec/index.ts";
import { displayCmd, renderCmd, type Cmd } from "../shell/index.ts";
import { audit } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect, runHook } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { loginOnHosts } from "./registry.ts";
import { spawnInteractive } from "./server.ts";

export interface BootProxyOptions {
  /** Where image archives come from (default: written from the kamal executables found for each architecture). */
  images?: ProxyImageSource;
}

/** Runs fn with an image source, closing it (and removing its temp archives) afterwards when it is ours. */
async function withImages<T>(ctx: Context, given: ProxyImageSource | undefined, fn: (images: ProxyImageSource) => Promise<T>): Promise<T> {
  if (given) return fn(given);
  const images = new ExecutableProxyImages({ ...currentProcess(), env: ctx.env });
  try {
    return await fn(images);
  } finally {
    await images.close();
  }
}

/** Runs a command whose failure is expected in one case (`accept` says which), like Kamal's rescue of "already exists". */
async function runAccepting(ctx: Context, host: string, command: Cmd, accept: (stderr: string) => boolean): Promise<void> {
  const r = await ctx.runner.exec(host, command);
  if (r.code !== 0 && !accept(r.stderr)) throw new CommandFailed(host, displayCmd(command), r.code, r.stdout, r.stderr);
}

/** docker network create kamal on every selected host ("already exists" is fine). */
async function ensureNetwork(ctx: Context): Promise<void> {
  await onHosts(ctx.selection.hosts, (host) => runAccepting(ctx, host, proxy.createProxyNetwork(), (err) => err.includes("already exists")));
}

/** Kamal's check of the running proxy's image tag; resolves true when a kamal-proxy container exists. */
async function checkRunningVersion(ctx: Context, host: string): Promise<boolean> {
  const version = await ctx.runner.capture(host, proxy.proxyVersion(), { level: "info" });
  if (version !== "" && proxy.olderVersion(version, PROXY_MINIMUM_VERSION)) {
    throw new KamalError(`kamal-proxy version ${version} is too old, run \`kamal proxy reboot\` in order to update to at least ${PROXY_MINIMUM_VERSION}`, "RuntimeError");
  }
  return version !== "";
}

/** Where the boot line runs the default image: make sure the host has ours (of its architecture), loading it if not. */
export async function ensureProxyImage(ctx: Context, host: string, images: ProxyImageSource): Promise<void> {
  if (ctx.config.proxyRun(host)) return; // proxy.run: docker run pulls the configured image, as Kamal's does
  const image = await ctx.runner.capture(host, proxy.bootConfigImage(ctx.config));
  if (image !== proxy.DEFAULT_PROXY_IMAGE) return; // boot_config names another image: docker run pulls it
  const arch = dockerArchitectureOfMachine(await ctx.runner.capture(host, proxy.hostMachine()));
  const archive = await images.forArchitecture(arch);
  if (!archive.available) {
    ctx.logger.say(`${host} (${arch}): ${archive.reason}; docker pulls ${proxy.DEFAULT_PROXY_IMAGE} instead`, "yellow");
    return;
  }
  const onHost = await ctx.runner.exec(host, proxy.imageIdOf(proxy.DEFAULT_PROXY_IMAGE), { level: "debug" });
  if (onHost.code === 0 && onHost.stdout.trim() === archive.imageId) return;
  ctx.logger.info(`Loading the kamal-proxy image (${arch}, ${Math.round(archive.size / 1e6)} MB) on ${host}...`);
  const stream = archive.open();
  try {
    await ctx.runner.run(host, proxy.loadImage(), { stdin: stream });
  } finally {
    stream.destroy();
  }
}

/** What `kamal setup` and `kamal deploy` call ("Ensure kamal-proxy is running..."), and `kamal proxy boot`. */
export async function bootProxy(ctx: Context, opts: BootProxyOptions = {}): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () => withImages(ctx, opts.images, async (images) => {
    await ensureNetwork(ctx);
    await loginOnHosts(ctx, ctx.selection.proxyHosts);
    await onHosts(ctx.selection.proxyHosts, async (host) => {
      const exists = await checkRunningVersion(ctx, host);
      await ctx.runner.run(host, proxy.ensureAppsConfigDirectory(ctx.config));
      if (!exists) await ensureProxyImage(ctx, host, images);
      await ctx.runner.run(host, proxy.startOrRunProxy(ctx.config, ctx.config.proxyRun(host)));
    });
  }));
}

export interface RebootOptions extends BootProxyOptions {
  rolling?: boolean;
}

/** `kamal proxy reboot [--rolling]`: per group of hosts the pre/post-proxy-reboot hooks around stop, remove and run. */
export async function rebootProxy(ctx: Context, opts: RebootOptions = {}): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () => withImages(ctx, opts.images, async (images) => {
    const hosts = ctx.selection.proxyHosts;
    const groups = opts.rolling ? hosts.map((h) => [h]) : [hosts];
    for (const group of groups) {
      await runHook(ctx, "pre-proxy-reboot", { hosts: group });
      await loginOnHosts(ctx, group);
      await onHosts(group, async (host) => {
        // The image is put in place while the old proxy still serves: the outage is only stop + run.
        await ensureProxyImage(ctx, host, images);
        await audit(ctx, host, "Rebooted proxy");
        await ctx.runner.exec(host, proxy.stopProxy());
        await ctx.runner.run(host, proxy.removeProxyContainer());
        await ctx.runner.run(host, proxy.ensureAppsConfigDirectory(ctx.config));
        await ctx.runner.run(host, proxy.runProxy(ctx.config, ctx.config.proxyRun(host)));
      });
      await runHook(ctx, "post-proxy-reboot", { hosts: group });
    }
  }));
}

export async function startProxy(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () => onHosts(ctx.selection.proxyHosts, async (host) => {
    await audit(ctx, host, "Started proxy");
    await ctx.runner.run(host, proxy.startProxy());
  }));
}

export async function stopProxy(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () => onHosts(ctx.selection.proxyHosts, async (host) => {
    await audit(ctx, host, "Stopped proxy");
    await ctx.runner.exec(host, proxy.stopProxy());
  }));
}

export async function restartProxy(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    await stopProxy(ctx);
    await startProxy(ctx);
  });
}

/** `kamal proxy details`: `Proxy Host: <h>` and `docker ps` of the kamal-proxy container. */
export async function proxyDetails(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await onHosts(ctx.selection.proxyHosts, async (host) => {
    ctx.logger.putsByHost(host, await ctx.runner.capture(host, proxy.proxyDetails(), { level: "info" }), { type: "Proxy", quiet: ctx.options.quiet });
  });
}

export interface ProxyLogsOptions {
  since?: string;
  lines?: number;
  grep?: string;
  skipTimestamps?: boolean;
}

/** `kamal proxy logs` (not -f): the last 100 lines of every proxy host unless --since/--grep/--lines say otherwise. */
export async function proxyLogs(ctx: Context, o: ProxyLogsOptions = {}): Promise<void> {
  await preConnect(ctx);
  const lines = o.lines ?? (o.since !== undefined || o.grep !== undefined ? undefined : 100);
  const command = proxy.proxyLogs({ timestamps: !o.skipTimestamps, since: o.since, lines, grep: o.grep });
  await onHosts(ctx.selection.proxyHosts, async (host) => {
    ctx.logger.putsByHost(host, await ctx.runner.capture(host, command), { type: "Proxy" });
  });
}

/** `kamal proxy logs -f`: follows the primary host's proxy log through `ssh -t` (returns its exit code). */
export async function followProxyLogs(ctx: Context, o: Pick<ProxyLogsOptions, "grep" | "skipTimestamps"> = {}, interactive = spawnInteractive): Promise<number> {
  const host = ctx.selection.primaryHost;
  if (host === undefined) throw new ArgumentError("No primary host to follow the proxy logs on");
  const line = renderCmd(proxy.followProxyLogs({ timestamps: !o.skipTimestamps, grep: o.grep }));
  const argv = interactiveSshArgv(host, ctx.ssh, line);
  ctx.logger.info(`Following logs on ${host}...`);
  ctx.logger.info(argv.join(" "));
  return interactive(argv);
}

/** `kamal proxy remove [--force]`: keeps the proxy while other apps are installed on a proxy host (unless --force). */
export async function removeProxy(ctx: Context, opts: { force?: boolean } = {}): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, async () => {
    if (!(await removalAllowed(ctx, opts.force ?? false))) return;
    await stopProxy(ctx);
    await removeProxyContainer(ctx);
    await removeProxyImage(ctx);
    await removeProxyDirectory(ctx);
  });
}

async function removalAllowed(ctx: Context, force: boolean): Promise<boolean> {
  const counts = await onHosts(ctx.selection.proxyHosts, async (host) =>
    Number.parseInt(await ctx.runner.capture(host, proxy.installedAppCount(ctx.config), { level: "info" }), 10) || 0);
  if (counts.every((n) => n === 0)) return true;
  ctx.logger.say(force
    ? "Forcing, so removing the proxy, even though other apps are installed"
    : "Not removing the proxy, as other apps are installed, ignore this check with kamal proxy remove --force", "magenta");
  return force;
}

export async function removeProxyContainer(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () => onHosts(ctx.selection.proxyHosts, async (host) => {
    await audit(ctx, host, "Removed proxy container");
    await ctx.runner.run(host, proxy.removeProxyContainer());
  }));
}

export async function removeProxyImage(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () => onHosts(ctx.selection.proxyHosts, async (host) => {
    await audit(ctx, host, "Removed proxy image");
    await ctx.runner.run(host, proxy.removeProxyImage());
  }));
}

export async function removeProxyDirectory(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await withLock(ctx, () => onHosts(ctx.selection.proxyHosts, async (host) => {
    await ctx.runner.exec(host, proxy.removeProxyDirectory(ctx.config));
  }));
}
