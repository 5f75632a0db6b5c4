// The remote buildx builder (Kamal's commands/builder/remote.rb): a docker context pointing at `builder.remote`
// and a buildx builder on it. The remote BuildKit pushes, so there is no local `docker login`.
import { and, cmd, docker, group, or, pipe, seq, type Cmd } from "../../shell/index.ts";
import { buildxBuild, driverOptions, type BuildInput, type Builder, type PushOptions } from "./base.ts";

/** `<remote with [^a-z0-9_-] as ->[-local-registry]` */
export function remoteNameSuffix({ config }: BuildInput): string {
  const remote = (config.builder.remote ?? "").replace(/[^a-z0-9_-]/g, "-");
  return config.registry.local ? `${remote}-local-registry` : remote;
}

export const contextName = (builderName: string): string => `${builderName}-context`;

/** docker context create <n>-context --description '<n> host' --docker 'host=<remote>' */
export const createRemoteContext = (input: BuildInput, name: string): Cmd =>
  docker("context", "create", contextName(name), "--description", `${name} host`, "--docker", `host=${input.config.builder.remote ?? ""}`);

/** Checks the builder uses the context and the context points at the configured remote. */
export function inspectRemote(input: BuildInput, name: string): Cmd {
  const remote = input.config.builder.remote ?? "";
  return or(
    and(
      pipe(docker("buildx", "inspect", name), cmd("grep", "-q", `Endpoint:.*${contextName(name)}`)),
      pipe(docker("context", "inspect", contextName(name), "--format", "{{.Endpoints.docker.Host}}"), cmd("grep", "-xq", remote)),
    ),
    group(and(cmd("echo", "no compatible builder"), cmd("exit", "1"))),
  );
}

/** docker context rm <n>-context ; docker buildx rm <n> */
export const removeRemote = (name: string): Cmd => seq(docker("context", "rm", contextName(name)), docker("buildx", "rm", name));

/** docker context ls ; docker buildx ls */
export const remoteInfo = (): Cmd => seq(docker("context", "ls"), docker("buildx", "ls"));

export const REMOTE_PUSH_ENV = { BUILDKIT_NO_CLIENT_TOKEN: "1" } as const;

export function remoteBuilder(input: BuildInput): Builder {
  const { config } = input;
  const name = `kamal-remote-${remoteNameSuffix(input)}`;
  return {
    kind: "remote",
    name,
    create: (): Cmd => seq(createRemoteContext(input, name), docker("buildx", "create", "--name", name, driverOptions(config), contextName(name))),
    remove: (): Cmd => removeRemote(name),
    inspect: (): Cmd => inspectRemote(input, name),
    info: remoteInfo,
    push: (opts?: PushOptions): Cmd => buildxBuild(config, config.builder.arches, name, opts),
    loginLocally: false,
    pushEnv: REMOTE_PUSH_ENV,
  };
}
