// `kamal proxy ...` (reference §1.4).
import type { CliContext } from "../context.ts";
import { defineCommand, defineGroup } from "../define.ts";
import type { Context } from "../../flows/context.ts";
import { CONFIRMED, ROLLING } from "./shared-options.ts";

/** Loads the proxy flows and runs one in a flow context (connections closed afterwards). */
async function withProxyFlows(ctx: CliContext, fn: (flows: typeof import("../../flows/proxy.ts"), fc: Context) => Promise<unknown>): Promise<void> {
  const [{ withContext }, flows] = await Promise.all([import("../../flows/context.ts"), import("../../flows/proxy.ts")]);
  await withContext(ctx, (fc) => fn(flows, fc));
}

/** Kamal's `confirming`: true with -y, else the answer to the question; "Aborted" (red) on anything but y. */
async function confirming(ctx: CliContext, confirmed: boolean): Promise<boolean> {
  if (confirmed) return true;
  const { askConfirmation } = await import("../confirm.ts");
  if (await askConfirmation("This will cause a brief outage on each host. Are you sure?", ctx.stdout)) return true;
  ctx.stdout.write("Aborted\n");
  return false;
}

const LOGS = [
  { name: "since", alias: "s", type: "string", desc: "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)" },
  { name: "lines", alias: "n", type: "numeric", desc: "Number of log lines to pull from each server" },
  { name: "grep", alias: "g", type: "string", desc: "Show lines with grep match only (use this to fetch specific requests by id)" },
  { name: "follow", alias: "f", type: "boolean", default: false, desc: "Follow logs on primary server (or specific host set by --hosts)" },
  { name: "skip-timestamps", alias: "T", type: "boolean", default: false, desc: "Skip appending timestamps to logging output" },
] as const;

export const proxyGroup = defineGroup("proxy", "Manage kamal-proxy", [
  defineCommand({ name: "boot", desc: "Boot proxy on servers", run: (_input, ctx) => withProxyFlows(ctx, (f, fc) => f.bootProxy(fc)) }),
  defineCommand({
    name: "boot_config",
    desc: "Manage kamal-proxy boot configuration (deprecated: set proxy/run in the deploy YAML instead)",
    params: [{ name: "subcommand", required: true }],
    options: [
      { name: "publish", type: "boolean", default: true, desc: "Publish the proxy ports on the host" },
      { name: "publish-host-ip", type: "array", desc: "Host IP address to bind HTTP/HTTPS traffic to. Defaults to all interfaces" },
      { name: "http-port", type: "numeric", default: 80, desc: "HTTP port to publish on the host" },
      { name: "https-port", type: "numeric", default: 443, desc: "HTTPS port to publish on the host" },
      { name: "log-max-size", type: "string", default: "10m", desc: "Max size of proxy logs" },
      { name: "registry", type: "string", desc: "Registry to use for the proxy image" },
      { name: "repository", type: "string", desc: "Repository for the proxy image" },
      { name: "image-version", type: "string", desc: "Version of the proxy to run" },
      { name: "metrics-port", type: "numeric", desc: "Port to report prometheus metrics on" },
      { name: "debug", type: "boolean", default: false, desc: "Whether to run the proxy in debug mode" },
      { name: "docker-options", type: "array", desc: "Docker options to pass to the proxy container" },
    ],
    run: async ({ params, options: o }, ctx) => {
      const [{ withContext }, { proxyBootConfig }] = await Promise.all([import("../../flows/context.ts"), import("../../flows/proxy-boot-config.ts")]);
      await withContext(ctx, (fc) => proxyBootConfig(fc, params.subcommand, {
        publish: o.publish, publishHostIps: o.publishHostIp, httpPort: o.httpPort, httpsPort: o.httpsPort, logMaxSize: o.logMaxSize,
        registry: o.registry, repository: o.repository, imageVersion: o.imageVersion, metricsPort: o.metricsPort, debug: o.debug,
        dockerOptions: o.dockerOptions,
      }));
    },
  }),
  defineCommand({
    name: "reboot",
    desc: "Reboot proxy on servers (stop container, remove container, start new container)",
    options: [ROLLING, CONFIRMED],
    run: async ({ options }, ctx) => {
      if (await confirming(ctx, options.confirmed)) await withProxyFlows(ctx, (f, fc) => f.rebootProxy(fc, { rolling: options.rolling }));
    },
  }),
  defineCommand({ name: "upgrade", desc: "Upgrade to kamal-proxy on servers (stop container, remove container, start new container, reboot app)", options: [ROLLING, CONFIRMED], hidden: true }),
  defineCommand({ name: "start", desc: "Start existing proxy container on servers", run: (_i, ctx) => withProxyFlows(ctx, (f, fc) => f.startProxy(fc)) }),
  defineCommand({ name: "stop", desc: "Stop existing proxy container on servers", run: (_i, ctx) => withProxyFlows(ctx, (f, fc) => f.stopProxy(fc)) }),
  defineCommand({ name: "restart", desc: "Restart existing proxy container on servers", run: (_i, ctx) => withProxyFlows(ctx, (f, fc) => f.restartProxy(fc)) }),
  defineCommand({ name: "details", desc: "Show details about proxy container from servers", run: (_i, ctx) => withProxyFlows(ctx, (f, fc) => f.proxyDetails(fc)) }),
  defineCommand({
    name: "logs",
    desc: "Show log lines from proxy on servers",
    options: LOGS,
    run: async ({ options: o }, ctx) => {
      let code = 0;
      await withProxyFlows(ctx, async (f, fc) => {
        if (o.follow) code = await f.followProxyLogs(fc, { grep: o.grep, skipTimestamps: o.skipTimestamps });
        else await f.proxyLogs(fc, { since: o.since, lines: o.lines, grep: o.grep, skipTimestamps: o.skipTimestamps });
      });
      return code;
    },
  }),
  defineCommand({
    name: "remove",
    desc: "Remove proxy container and image from servers",
    options: [{ name: "force", type: "boolean", default: false, desc: "Force removing proxy when apps are still installed" }],
    run: ({ options }, ctx) => withProxyFlows(ctx, (f, fc) => f.removeProxy(fc, { force: options.force })),
  }),
  defineCommand({ name: "remove_container", desc: "Remove proxy container from servers", hidden: true, run: (_i, ctx) => withProxyFlows(ctx, (f, fc) => f.removeProxyContainer(fc)) }),
  defineCommand({ name: "remove_image", desc: "Remove proxy image from servers", hidden: true, run: (_i, ctx) => withProxyFlows(ctx, (f, fc) => f.removeProxyImage(fc)) }),
  defineCommand({
    name: "remove_proxy_directory", desc: "Remove the proxy directory from servers", hidden: true,
    run: (_i, ctx) => withProxyFlows(ctx, (f, fc) => f.removeProxyDirectory(fc)),
  }),
]);
