// `kamal accessory ...` (reference §1.5). NAME may be `all` for boot, reboot, details and remove.
import type { Context } from "../../flows/context.ts";
import type { CliContext } from "../context.ts";
import { defineCommand, defineGroup } from "../define.ts";
import { CMD, CONFIRMED, INTERACTIVE, LOG_OPTIONS, NAME, RAW, REUSE, ROLLING } from "./shared-options.ts";

type Flows = typeof import("../../flows/accessory.ts") & typeof import("../../flows/accessory-exec.ts");

/** Loads the flows lazily and runs one with a fresh Context (SSH closed at the end). */
async function withFlows<T>(ctx: CliContext, fn: (flows: Flows, fc: Context) => Promise<T>): Promise<T> {
  const [{ withContext }, lifecycle, exec] = await Promise.all([
    import("../../flows/context.ts"), import("../../flows/accessory.ts"), import("../../flows/accessory-exec.ts"),
  ]);
  return withContext(ctx, (fc) => fn({ ...lifecycle, ...exec }, fc));
}

type NameStep = "accessoryBoot" | "accessoryUpload" | "accessoryDirectories" | "accessoryReboot" | "accessoryStart" | "accessoryStop"
  | "accessoryRestart" | "accessoryDetails" | "accessoryPullImage" | "accessoryRemoveContainer" | "accessoryRemoveImage"
  | "accessoryRemoveServiceDirectory";

/** A subcommand that takes only NAME and runs one flow. */
const byName = (name: string, desc: string, step: NameStep, hidden = false) =>
  defineCommand({
    name, desc, params: NAME, hidden,
    run: ({ params }, ctx) => withFlows(ctx, (flows, fc) => flows[step](fc, params.name)),
  });

export const accessoryGroup = defineGroup("accessory", "Manage accessories (db/redis/search)", [
  byName("boot", "Boot new accessory service on host (use NAME=all to boot all accessories)", "accessoryBoot"),
  byName("upload", "Upload accessory files to host", "accessoryUpload", true),
  byName("directories", "Create accessory directories on host", "accessoryDirectories", true),
  byName("reboot", "Reboot existing accessory on host (stop container, remove container, start new container; use NAME=all to boot all accessories)", "accessoryReboot"),
  byName("start", "Start existing accessory container on host", "accessoryStart"),
  byName("stop", "Stop existing accessory container on host", "accessoryStop"),
  byName("restart", "Restart existing accessory container on host", "accessoryRestart"),
  byName("details", "Show details about accessory on host (use NAME=all to show all accessories)", "accessoryDetails"),
  defineCommand({
    name: "exec",
    desc: "Execute a custom command on servers within the accessory container (use --help to show options)",
    params: [...NAME, ...CMD],
    passUnknownOptions: true,
    options: [INTERACTIVE, REUSE, RAW],
    run: ({ params, options }, ctx) => withFlows(ctx, (flows, fc) => flows.accessoryExec(fc, params.name, params.cmd, options)),
  }),
  defineCommand({
    name: "logs", desc: "Show log lines from accessory on host (use --help to show options)", params: NAME, options: LOG_OPTIONS,
    run: ({ params, options }, ctx) => withFlows(ctx, (flows, fc) => flows.accessoryLogs(fc, params.name, options)),
  }),
  defineCommand({
    name: "remove", desc: "Remove accessory container, image and data directory from host (use NAME=all to remove all accessories)", params: NAME, options: [CONFIRMED],
    run: async ({ params, options }, ctx) => {
      const { confirmed } = await import("../confirm.ts");
      const question = `This will remove all containers, images and data directories for ${params.name}. Are you sure?`;
      if (await confirmed(ctx, question, options.confirmed)) await withFlows(ctx, (flows, fc) => flows.accessoryRemove(fc, params.name));
    },
  }),
  defineCommand({
    name: "upgrade", desc: "Upgrade accessories from Kamal 1.x to 2.0 (restart them in 'kamal' network)", params: NAME, options: [ROLLING, CONFIRMED],
    run: async ({ params, options }, ctx) => {
      const { confirmed } = await import("../confirm.ts");
      if (await confirmed(ctx, "This will restart all accessories", options.confirmed)) {
        await withFlows(ctx, (flows, fc) => flows.accessoryUpgrade(fc, params.name, { rolling: options.rolling }));
      }
    },
  }),
  byName("pull_image", "Pull accessory image on host", "accessoryPullImage", true),
  byName("remove_container", "Remove accessory container from host", "accessoryRemoveContainer", true),
  byName("remove_image", "Remove accessory image from host", "accessoryRemoveImage", true),
  byName("remove_service_directory", "Remove accessory directory used for uploaded files and data directories from host", "accessoryRemoveServiceDirectory", true),
]);
