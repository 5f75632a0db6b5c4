// `kamal app ...` (reference §1.3). Handlers are added as the flows land; until then each says it is not implemented.
import type { Context } from "../../flows/context.ts";
import type { CliContext } from "../context.ts";
import { defineCommand, defineGroup } from "../define.ts";
import { CMD, INTERACTIVE, LOG_OPTIONS, RAW, REUSE } from "./shared-options.ts";

const VERSION_PARAM = [{ name: "version", required: true }] as const;

/** Loads one flow module lazily and runs it with a fresh Context (SSH closed at the end). */
async function withFlow<M, T>(ctx: CliContext, load: () => Promise<M>, fn: (flows: M, fc: Context) => Promise<T>): Promise<T> {
  const [{ withContext }, flows] = await Promise.all([import("../../flows/context.ts"), load()]);
  return withContext(ctx, (fc) => fn(flows, fc));
}
const startStop = () => import("../../flows/app/start-stop.ts");
const maintenance = () => import("../../flows/app/maintenance.ts");
const remove = () => import("../../flows/app/remove.ts");
const deployWing = () => import("../../flows/app/index.ts");

/** The same for commands that change hosts (Kamal's modify: output loggers, end-of-run summary). */
async function withModifyFlow<M, T>(ctx: CliContext, load: () => Promise<M>, fn: (flows: M, fc: Context) => Promise<T>): Promise<T> {
  const [{ withModify }, flows] = await Promise.all([import("../../flows/modify.ts"), load()]);
  return withModify(ctx, (fc) => fn(flows, fc));
}

export const appGroup = defineGroup("app", "Manage application", [
  defineCommand({
    name: "boot", desc: "Boot app on servers (or reboot app if already running)",
    run: (_i, ctx) => withModifyFlow(ctx, deployWing, (f, fc) => f.appBoot(fc, ctx.global.version ?? fc.config.latestTag)),
  }),
  defineCommand({ name: "start", desc: "Start existing app container on servers", run: (_i, ctx) => withFlow(ctx, startStop, (f, fc) => f.appStart(fc)) }),
  defineCommand({ name: "stop", desc: "Stop app container on servers", run: (_i, ctx) => withFlow(ctx, startStop, (f, fc) => f.appStop(fc)) }),
  defineCommand({ name: "details", desc: "Show details about app containers", run: (_i, ctx) => withFlow(ctx, deployWing, (f, fc) => f.appDetails(fc)) }),
  defineCommand({
    name: "exec",
    desc: "Execute a custom command on servers within the app container (use --help to show options)",
    params: CMD,
    passUnknownOptions: true,
    options: [
      INTERACTIVE,
      REUSE,
      { name: "env", alias: "e", type: "hash", desc: "Set environment variables for the command (KEY:VALUE ...)" },
      { name: "detach", type: "boolean", default: false, desc: "Execute command in a detached container" },
      RAW,
    ],
    run: ({ params, options }, ctx) => withFlow(ctx, () => import("../../flows/app/exec.ts"), (f, fc) =>
      f.appExec(fc, params.cmd, { ...options, version: ctx.global.version, stdinIsTTY: process.stdin.isTTY === true })),
  }),
  defineCommand({ name: "containers", desc: "Show app containers on servers", run: (_i, ctx) => withFlow(ctx, deployWing, (f, fc) => f.appContainers(fc)) }),
  defineCommand({
    name: "stale_containers",
    desc: "Detect app stale containers",
    options: [{ name: "stop", alias: "s", type: "boolean", default: false, desc: "Stop the stale containers found" }],
    run: ({ options }, ctx) => (options.stop ? withModifyFlow : withFlow)(ctx, deployWing, (f, fc) => f.staleContainers(fc, { stop: options.stop })),
  }),
  defineCommand({ name: "images", desc: "Show app images on servers", run: (_i, ctx) => withFlow(ctx, () => import("../../flows/app/images.ts"), (f, fc) => f.appImages(fc)) }),
  defineCommand({
    name: "logs",
    desc: "Show log lines from app on servers (use --help to show options)",
    options: [...LOG_OPTIONS, { name: "container-id", type: "string", desc: "Docker container ID to fetch logs" }],
    run: ({ options }, ctx) => withFlow(ctx, () => import("../../flows/app/logs.ts"), (f, fc) => f.appLogs(fc, options)),
  }),
  defineCommand({ name: "remove", desc: "Remove app containers and images from servers", run: (_i, ctx) => withFlow(ctx, remove, (f, fc) => f.appRemove(fc)) }),
  defineCommand({ name: "live", desc: "Set the app to live mode", run: (_i, ctx) => withFlow(ctx, maintenance, (f, fc) => f.appLive(fc)) }),
  defineCommand({
    name: "maintenance",
    desc: "Set the app to maintenance mode",
    options: [
      { name: "drain-timeout", type: "numeric", desc: "How long to allow in-flight requests to complete (defaults to drain_timeout from config)" },
      { name: "message", type: "string", desc: "Message to display to clients while stopped" },
    ],
    run: ({ options }, ctx) => withFlow(ctx, maintenance, (f, fc) => f.appMaintenance(fc, options)),
  }),
  defineCommand({ name: "version", desc: "Show app version currently running on servers", run: (_i, ctx) => withFlow(ctx, deployWing, (f, fc) => f.appVersion(fc)) }),
  defineCommand({ name: "remove_container", desc: "Remove app container with given version from servers", params: VERSION_PARAM, hidden: true }),
  defineCommand({ name: "remove_containers", desc: "Remove all app containers from servers", hidden: true, run: (_i, ctx) => withFlow(ctx, remove, (f, fc) => f.appRemoveContainers(fc)) }),
  defineCommand({ name: "remove_images", desc: "Remove all app images from servers", hidden: true, run: (_i, ctx) => withFlow(ctx, remove, (f, fc) => f.appRemoveImages(fc)) }),
  defineCommand({ name: "remove_app_directories", desc: "Remove the app directories from servers", hidden: true, run: (_i, ctx) => withFlow(ctx, remove, (f, fc) => f.appRemoveAppDirectories(fc)) }),
]);
