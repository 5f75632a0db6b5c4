// `kamal server exec|bootstrap` (reference §1.10).
import { defineCommand, defineGroup } from "../define.ts";
import { CMD, INTERACTIVE, RAW } from "./shared-options.ts";

export const serverGroup = defineGroup("server", "Bootstrap servers with curl and Docker", [
  defineCommand({
    name: "exec",
    desc: "Run a custom command on the server (use --help to show options)",
    params: CMD,
    passUnknownOptions: true,
    options: [INTERACTIVE, RAW],
    run: async ({ params, options }, ctx) => {
      const [{ withContext }, { serverExec }] = await Promise.all([import("../../flows/context.ts"), import("../../flows/server.ts")]);
      return withContext(ctx, (fc) => serverExec(fc, params.cmd, { interactive: options.interactive, raw: options.raw }));
    },
  }),
  defineCommand({
    name: "bootstrap",
    desc: "Set up Docker to run Kamal apps",
    run: async (_input, ctx) => {
      const [{ withContext }, { serverBootstrap }] = await Promise.all([import("../../flows/context.ts"), import("../../flows/server.ts")]);
      await withContext(ctx, serverBootstrap);
    },
  }),
]);
