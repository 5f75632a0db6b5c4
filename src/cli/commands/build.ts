// `kamal build ...` and `kamal registry ...` (reference §1.6, §1.7).
import { defineCommand, defineGroup } from "../define.ts";
import type { OptionSpec } from "../options.ts";
import { NO_CACHE } from "./shared-options.ts";

const output = (dflt: string) =>
  ({ name: "output", type: "string", default: dflt, desc: "The export type for the build result, and may specify other options (see buildx --output)" }) as const satisfies OptionSpec;

const flows = () => Promise.all([import("../../flows/context.ts"), import("../../flows/build.ts"), import("../../flows/build-setup.ts")]);

export const buildGroup = defineGroup("build", "Build application image", [
  defineCommand({
    name: "deliver", desc: "Build app and push app image to registry then pull image on servers",
    run: async (_input, ctx) => { const [{ withContext }, { deliver }] = await flows(); await withContext(ctx, (fc) => deliver(fc)); },
  }),
  defineCommand({
    name: "push", desc: "Build and push app image to registry", options: [output("registry"), NO_CACHE],
    run: async ({ options }, ctx) => {
      const [{ withContext }, { buildPush }] = await flows();
      await withContext(ctx, (fc) => buildPush(fc, { output: options.output, noCache: options.noCache }));
    },
  }),
  defineCommand({
    name: "pull", desc: "Pull app image from registry onto servers",
    run: async (_input, ctx) => { const [{ withContext }, { buildPull }] = await flows(); await withContext(ctx, buildPull); },
  }),
  defineCommand({
    name: "create", desc: "Create a build setup",
    run: async (_input, ctx) => { const [{ withContext }, , { buildCreate }] = await flows(); await withContext(ctx, buildCreate); },
  }),
  defineCommand({
    name: "remove", desc: "Remove build setup",
    run: async (_input, ctx) => { const [{ withContext }, , { buildRemove }] = await flows(); await withContext(ctx, buildRemove); },
  }),
  defineCommand({
    name: "details", desc: "Show build setup",
    run: async (_input, ctx) => { const [{ withContext }, , { buildDetails }] = await flows(); await withContext(ctx, buildDetails); },
  }),
  defineCommand({ name: "dev", desc: "Build using the working directory, tag it as dirty, and push to local image store.", options: [output("docker"), NO_CACHE] }),
]);

const REGISTRY_OPTIONS = [
  { name: "skip-local", alias: "L", type: "boolean", default: false, desc: "Skip local login" },
  { name: "skip-remote", alias: "R", type: "boolean", default: false, desc: "Skip remote login" },
] as const satisfies readonly OptionSpec[];

type RegistryFlow = "registrySetup" | "registryRemove" | "registryLogin" | "registryLogout";
const registryCommand = (name: string, desc: string, flow: RegistryFlow) =>
  defineCommand({
    name, desc, options: REGISTRY_OPTIONS,
    run: async ({ options }, ctx) => {
      const [{ withContext }, registry] = await Promise.all([import("../../flows/context.ts"), import("../../flows/registry.ts")]);
      await withContext(ctx, (fc) => registry[flow](fc, { skipLocal: options.skipLocal, skipRemote: options.skipRemote }));
    },
  });

export const registryGroup = defineGroup("registry", "Login and -out of the image registry", [
  registryCommand("setup", "Setup local registry or log in to remote registry locally and remotely", "registrySetup"),
  registryCommand("remove", "Remove local registry or log out of remote registry locally and remotely", "registryRemove"),
  registryCommand("login", "Log in to remote registry locally and remotely", "registryLogin"),
  registryCommand("logout", "Log out of remote registry locally and remotely", "registryLogout"),
]);
