// `kamal build ...` and `kamal registry ...` (reference §1.6, §1.7).
import { defineCommand, defineGroup } from "../define.ts";
import type { OptionSpec } from "../options.ts";
import { NO_CACHE } from "./shared-options.ts";

const output = (dflt: string) =>
  ({ name: "output", type: "string", default: dflt, desc: "The export type for the build result, and may specify other options (see buildx --output)" }) as const satisfies OptionSpec;

export const buildGroup = defineGroup("build", "Build application image", [
  defineCommand({ name: "deliver", desc: "Build app and push app image to registry then pull image on servers" }),
  defineCommand({ name: "push", desc: "Build and push app image to registry", options: [output("registry"), NO_CACHE] }),
  defineCommand({ name: "pull", desc: "Pull app image from registry onto servers" }),
  defineCommand({ name: "create", desc: "Create a build setup" }),
  defineCommand({ name: "remove", desc: "Remove build setup" }),
  defineCommand({ name: "details", desc: "Show build setup" }),
  defineCommand({ name: "dev", desc: "Build using the working directory, tag it as dirty, and push to local image store.", options: [output("docker"), NO_CACHE] }),
]);

const REGISTRY_OPTIONS = [
  { name: "skip-local", alias: "L", type: "boolean", default: false, desc: "Skip local login" },
  { name: "skip-remote", alias: "R", type: "boolean", default: false, desc: "Skip remote login" },
] as const satisfies readonly OptionSpec[];

export const registryGroup = defineGroup("registry", "Login and -out of the image registry", [
  defineCommand({ name: "setup", desc: "Setup local registry or log in to remote registry locally and remotely", options: REGISTRY_OPTIONS }),
  defineCommand({ name: "remove", desc: "Remove local registry or log out of remote registry locally and remotely", options: REGISTRY_OPTIONS }),
  defineCommand({ name: "login", desc: "Log in to remote registry locally and remotely", options: REGISTRY_OPTIONS }),
  defineCommand({ name: "logout", desc: "Log out of remote registry locally and remotely", options: REGISTRY_OPTIONS }),
]);
