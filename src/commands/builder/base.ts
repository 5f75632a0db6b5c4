// What every image builder shares (reference §3.12, Kamal's commands/builder/base.rb): tags, the service label,
// build args (redacted), build secrets (ids only: the values go into the build's environment), Dockerfile, target,
// ssh, provenance, sbom, cache, platforms; and the per-host pull, clean, label check and mirror probe.
import type { Config } from "../../config/config.ts";
import { isPresent, rubyToS } from "../../config/values.ts";
import { and, cmd, concat, docker, group, or, pipe, redirect, secret, type Arg, type Cmd } from "../../shell/index.ts";

/** What a build needs besides the configuration. */
export interface BuildInput {
  readonly config: Config;
  /** The local Docker architecture (amd64, arm64); only remote and hybrid builders read it. */
  readonly dockerArch: string;
}

export interface PushOptions {
  /** buildx --output type (registry, docker, ...). */
  output?: string;
  noCache?: boolean;
  /** `kamal build dev`: tags get a -dirty suffix. */
  dirty?: boolean;
}

/** One builder kind (local, remote, hybrid, cloud, pack): its name and the commands around the build. */
export interface Builder {
  readonly kind: "local" | "remote" | "hybrid" | "cloud" | "pack";
  /** The buildx builder's name ("" when there is none: the docker driver, pack). */
  readonly name: string;
  /** Create the builder (undefined: nothing to create). */
  create(): Cmd | undefined;
  remove(): Cmd | undefined;
  /** Fails when the builder is missing or incompatible (undefined: nothing to check). */
  inspect(): Cmd | undefined;
  /** `kamal build details`. */
  info(): Cmd;
  push(opts?: PushOptions): Cmd;
  /** Whether `build push` logs in to the registry on this machine (remote builders push from the remote). */
  readonly loginLocally: boolean;
  /** Extra environment for the build command. */
  readonly pushEnv: Readonly<Record<string, string>>;
}

/** docker --version && docker buildx version */
export const dockerCheck = (): Cmd => and(docker("--version"), docker("buildx", "version"));

/** docker --version (the classic builder needs no more) */
export const dockerVersion = (): Cmd => docker("--version");

/** docker info --format '{{.Architecture}}' */
export const dockerArchitecture = (): Cmd => docker("info", "--format", "{{.Architecture}}");

/** Kamal's names for `docker info` architectures. */
export function kamalArch(dockerInfoArch: string): string {
  if (dockerInfoArch.includes("aarch64")) return "arm64";
  if (dockerInfoArch.includes("x86_64")) return "amd64";
  return dockerInfoArch.trim();
}

export function tagNames(config: Config, dirty = false): string[] {
  const names = [config.absoluteImage, config.latestImage];
  return dirty ? names.map((n) => `${n}-dirty`) : names;
}

export const tagOptions = (config: Config, dirty = false): string[] => tagNames(config, dirty).flatMap((n) => ["-t", n]);

/** --platform linux/amd64[,linux/arm64] (nothing without arches) */
export function platformOptions(arches: readonly string[]): string[] {
  return arches.length > 0 ? ["--platform", arches.map((a) => `linux/${a}`).join(",")] : [];
}

/** `KEY=value` with the value redacted in logs; `KEY=false`; a bare `KEY` without a value (Kamal's argumentize). */
export function keyValueArg(key: string, value: unknown): Arg {
  if (isPresent(value)) return concat(`${key}=`, secret(rubyToS(value)));
  if (value === false) return `${key}=false`;
  return key;
}

export const labelOptions = (config: Config): string[] => ["--label", `service=${config.service}`];
export const buildArgOptions = (config: Config): Arg[] =>
  Object.entries(config.builder.args).flatMap(([k, v]) => ["--build-arg", keyValueArg(k, v)]);
export const secretOptions = (config: Config): string[] => config.builder.secretKeys.flatMap((k) => ["--secret", `id=${k}`]);
export const fileOptions = (config: Config): string[] => ["--file", config.builder.dockerfile];
export const targetOptions = (config: Config): string[] => (config.builder.target ? ["--target", config.builder.target] : []);

function cacheOptions(config: Config): string[] {
  const { cacheTo, cacheFrom } = config.builder;
  return cacheTo && cacheFrom ? ["--cache-to", cacheTo, "--cache-from", cacheFrom] : [];
}
const sshOptions = (config: Config): string[] => (config.builder.ssh ? ["--ssh", config.builder.ssh] : []);
function provenanceOptions(config: Config): string[] {
  const p = config.builder.provenance;
  return p === undefined ? [] : ["--provenance", String(p)];
}
function sbomOptions(config: Config): string[] {
  const s = config.builder.sbom;
  return s === undefined ? [] : ["--sbom", String(s)];
}

/** Kamal's build_options order: cache, label, args, secrets, file, target, ssh, provenance, sbom. */
export function buildOptions(config: Config): Arg[] {
  return [
    ...cacheOptions(config), ...labelOptions(config), ...buildArgOptions(config), ...secretOptions(config), ...fileOptions(config),
    ...targetOptions(config), ...sshOptions(config), ...provenanceOptions(config), ...sbomOptions(config),
  ];
}

/** docker buildx build --output=type=<o> [--platform ..] [--builder <name>] -t .. -t .. <options> [--no-cache] <context> 2>&1 */
export function buildxBuild(config: Config, arches: readonly string[], builderName: string, opts: PushOptions = {}): Cmd {
  return redirect(
    docker(
      "buildx", "build", `--output=type=${opts.output ?? "registry"}`, platformOptions(arches),
      builderName ? ["--builder", builderName] : [], tagOptions(config, opts.dirty), buildOptions(config),
      opts.noCache ? "--no-cache" : [], config.builder.context,
    ),
    "2>&", "1",
  );
}

/** --driver-opt network=host (a local registry must be reachable from the BuildKit container) */
export const driverOptions = (config: Config): string[] => (config.registry.local ? ["--driver-opt", "network=host"] : []);

/** docker image rm --force <image> (before a pull; its failure is ignored) */
export const cleanImage = (config: Config): Cmd => docker("image", "rm", "--force", config.absoluteImage);

/** docker pull <image> */
export const pullImage = (config: Config): Cmd => docker("pull", config.absoluteImage);

/** docker inspect -f '{{ .Config.Labels.service }}' <img> | grep -x <svc> || (echo "Image <img> is missing the 'service' label" && exit 1) */
export const validateImage = (config: Config): Cmd =>
  or(
    pipe(docker("inspect", "-f", "{{ .Config.Labels.service }}", config.absoluteImage), cmd("grep", "-x", config.service)),
    group(and(cmd("echo", `Image ${config.absoluteImage} is missing the 'service' label`), cmd("exit", "1"))),
  );

/** docker info --format '{{index .RegistryConfig.Mirrors 0}}' */
export const firstMirror = (): Cmd => docker("info", "--format", "{{index .RegistryConfig.Mirrors 0}}");

/** docker context ls && docker buildx ls */
export const buildxInfo = (): Cmd => and(docker("context", "ls"), docker("buildx", "ls"));
