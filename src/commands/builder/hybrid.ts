// The hybrid builder (Kamal's commands/builder/hybrid.rb): one buildx builder with a local node for the local arch
// and a remote node (through a docker context) for the others.
import { and, docker, type Cmd } from "../../shell/index.ts";
import { buildxBuild, driverOptions, platformOptions, type BuildInput, type Builder, type PushOptions } from "./base.ts";
import { contextName, createRemoteContext, inspectRemote, remoteInfo, remoteNameSuffix, removeRemote, REMOTE_PUSH_ENV } from "./remote.ts";

export function hybridBuilder(input: BuildInput): Builder {
  const { config } = input;
  const arch = (): string => input.dockerArch;
  const name = `kamal-hybrid-${config.builder.driver}-${remoteNameSuffix(input)}`;
  return {
    kind: "hybrid",
    name,
    create: (): Cmd =>
      and(
        docker("buildx", "create", platformOptions(config.builder.localArches(arch)), "--name", name, `--driver=${config.builder.driver}`, driverOptions(config)),
        createRemoteContext(input, name),
        docker("buildx", "create", platformOptions(config.builder.remoteArches(arch)), "--append", "--name", name, driverOptions(config), contextName(name)),
      ),
    remove: (): Cmd => removeRemote(name),
    inspect: (): Cmd => inspectRemote(input, name),
    info: remoteInfo,
    push: (opts?: PushOptions): Cmd => buildxBuild(config, config.builder.arches, name, opts),
    loginLocally: false,
    pushEnv: REMOTE_PUSH_ENV,
  };
}
