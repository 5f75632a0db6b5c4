// The local buildx builder (Kamal's commands/builder/local.rb): `kamal-local[-registry]-<driver>`; none with the docker driver.
import { docker, type Cmd } from "../../shell/index.ts";
import { buildxBuild, buildxInfo, driverOptions, type BuildInput, type Builder, type PushOptions } from "./base.ts";

export function localBuilderName({ config }: BuildInput): string {
  return config.registry.local ? `kamal-local-registry-${config.builder.driver}` : `kamal-local-${config.builder.driver}`;
}

export function localBuilder(input: BuildInput): Builder {
  const { config } = input;
  const dockerDriver = config.builder.dockerDriver;
  const name = dockerDriver ? "" : localBuilderName(input);
  return {
    kind: "local",
    name,
    create: (): Cmd | undefined =>
      dockerDriver ? undefined : docker("buildx", "create", "--name", name, `--driver=${config.builder.driver}`, driverOptions(config)),
    remove: (): Cmd | undefined => (dockerDriver ? undefined : docker("buildx", "rm", name)),
    inspect: (): Cmd | undefined => (dockerDriver ? undefined : docker("buildx", "inspect", name)),
    info: buildxInfo,
    push: (opts?: PushOptions): Cmd => buildxBuild(config, config.builder.arches, name, opts),
    loginLocally: true,
    pushEnv: {},
  };
}
