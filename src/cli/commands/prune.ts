// `kamal prune ...` (reference §1.9).
import type { Context } from "../../flows/context.ts";
import type { CliContext } from "../context.ts";
import { defineCommand, defineGroup } from "../define.ts";

async function withPrune(ctx: CliContext, fn: (flows: typeof import("../../flows/prune.ts"), fc: Context) => Promise<void>): Promise<void> {
  const [{ withContext }, flows] = await Promise.all([import("../../flows/context.ts"), import("../../flows/prune.ts")]);
  await withContext(ctx, (fc) => fn(flows, fc));
}

export const pruneGroup = defineGroup("prune", "Prune old application images and containers", [
  defineCommand({ name: "all", desc: "Prune unused images and stopped containers", run: (_input, ctx) => withPrune(ctx, (f, fc) => f.pruneAll(fc)) }),
  defineCommand({ name: "images", desc: "Prune unused images", run: (_input, ctx) => withPrune(ctx, (f, fc) => f.pruneImages(fc)) }),
  defineCommand({
    name: "containers",
    desc: "Prune all stopped containers, except the last n (default 5)",
    options: [{ name: "retain", type: "numeric", desc: "Number of containers to retain" }],
    run: ({ options }, ctx) => withPrune(ctx, (f, fc) => f.pruneContainers(fc, options.retain)),
  }),
]);
