// `kamal lock status|acquire|release` (reference §1.8).
import { defineCommand, defineGroup } from "../define.ts";

export const lockGroup = defineGroup("lock", "Manage the deploy lock", [
  defineCommand({
    name: "status",
    desc: "Report lock status",
    run: async (_input, ctx) => {
      const [{ withContext }, { lockStatusCommand }] = await Promise.all([import("../../flows/context.ts"), import("../../flows/lock.ts")]);
      await withContext(ctx, lockStatusCommand);
    },
  }),
  defineCommand({
    name: "acquire",
    desc: "Acquire the deploy lock",
    options: [{ name: "message", alias: "m", type: "string", required: true, desc: "A lock message" }],
    run: async ({ options }, ctx) => {
      const [{ withContext }, { lockAcquireCommand }] = await Promise.all([import("../../flows/context.ts"), import("../../flows/lock.ts")]);
      await withContext(ctx, (fc) => lockAcquireCommand(fc, options.message));
    },
  }),
  defineCommand({
    name: "release",
    desc: "Release the deploy lock",
    run: async (_input, ctx) => {
      const [{ withContext }, { lockReleaseCommand }] = await Promise.all([import("../../flows/context.ts"), import("../../flows/lock.ts")]);
      await withContext(ctx, lockReleaseCommand);
    },
  }),
]);
