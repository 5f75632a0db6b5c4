// The app container's `docker run` line (reference §3.4), in Kamal's order, and the env file directory.
import type { Config, Role } from "../../config/index.ts";
import { cmd, concat, docker, raw, type Arg, type Cmd } from "../../shell/index.ts";

/** `--flag key=value`, or a bare `--flag key` for an empty value (Kamal's argumentize). */
function keyValueFlags(flag: string, values: Record<string, string | undefined>): Arg[] {
  return Object.entries(values).flatMap(([key, value]) => [flag, value === undefined || value === "" ? key : `${key}=${value}`]);
}

/** Container hostname: the host name cut to 51 characters (no trailing dot), then `-<12 hex>`. */
export function containerHostname(host: string, hex12: string): string {
  return `${host.slice(0, 51).replace(/\.$/, "")}-${hex12}`;
}

/** `--log-driver <d>` and `--log-opt k=v`, or the default `--log-opt max-size=10m`. */
export function loggingArgs(role: Role): Arg[] {
  const { driver, logOpts } = role.logging.dockerArgs;
  return [...(driver !== undefined ? ["--log-driver", driver] : []), ...logOpts.flatMap(([k, v]) => ["--log-opt", v === "" ? k : `${k}=${v}`])];
}

/** `--volume $PWD/<assets volume dir>:<asset_path>[:opts]` for roles that bridge assets. */
function assetVolumeArgs(role: Role, version: string): Arg[] {
  if (!role.assets) return [];
  const target = [role.assetPath, role.assetPathOptions].filter((p) => p !== undefined).join(":");
  return ["--volume", concat(raw("$PWD/"), `${role.assetVolumeDirectory(version)}:${target}`)];
}

export interface RunLine {
  readonly host: string;
  readonly version: string;
  /** Full `--hostname` value (see containerHostname); omitted when undefined. */
  readonly hostname?: string;
}

/** docker run --detach --restart <policy> --name <svc>-<role>[-<dest>]-<version> --network kamal ... <image>:<version> [cmd] */
export function runContainer(config: Config, role: Role, line: RunLine): Cmd {
  const name = role.containerName(line.version);
  const env = role.envFor(line.host);
  return docker(
    "run", "--detach", "--restart", role.restartPolicy, "--name", name, "--network", "kamal",
    line.hostname !== undefined && ["--hostname", line.hostname],
    keyValueFlags("--env", {
      KAMAL_CONTAINER_NAME: name, KAMAL_VERSION: line.version, KAMAL_HOST: line.host,
      ...(config.destination ? { KAMAL_DESTINATION: config.destination } : {}),
    }),
    keyValueFlags("--env", env.clear),
    "--env-file", role.secretsPath,
    loggingArgs(role),
    config.volumes.flatMap((v) => ["--volume", v]),
    assetVolumeArgs(role, line.version),
    keyValueFlags("--label", role.labels),
    role.optionFlags.flatMap(([flag, value]) => (value === true ? [`--${flag}`] : [`--${flag}`, value])),
    `${config.repository}:${line.version}`,
    role.cmd !== undefined && raw(role.cmd),
  );
}

/** mkdir -p .kamal/apps/<svc[-dest]>/env/roles (before the env file upload). */
export const makeEnvDirectory = (role: Role): Cmd => cmd("mkdir", "-p", role.envDirectory);
