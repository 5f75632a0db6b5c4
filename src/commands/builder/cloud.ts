// Docker Build Cloud (Kamal's commands/builder/cloud.rb): `driver: cloud <org>/<builder>`.
import { docker, type Cmd } from "../../shell/index.ts";
import { buildxBuild, buildxInfo, type BuildInput, type Builder, type PushOptions } from "./base.ts";

/** The driver with spaces and slashes as dashes: `cloud org/name` -> `cloud-org-name`. */
export const cloudBuilderName = ({ config }: BuildInput): string => config.builder.driver.replace(/[ /]/g, "-");

export function cloudBuilder(input: BuildInput): Builder {
  const { config } = input;
  const name = cloudBuilderName(input);
  return {
    kind: "cloud",
    name,
    // Kamal writes the driver unquoted, so the shell splits `cloud org/name` into two words: keep that.
    create: (): Cmd => docker("buildx", "create", "--driver", config.builder.driver.split(/\s+/).filter(Boolean)),
    remove: (): Cmd => docker("buildx", "rm", name),
    inspect: (): Cmd => docker("buildx", "inspect", name),
    info: buildxInfo,
    push: (opts?: PushOptions): Cmd => buildxBuild(config, config.builder.arches, name, opts),
    loginLocally: true,
    pushEnv: {},
  };
}
