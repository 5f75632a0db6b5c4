// Flags shared by the `docker run` lines of app and accessory containers (Kamal's argumentize/optionize,
// reference §3.1), as argv data: `--env K=v`, `--log-opt k=v`, `--label k=v`, `--volume a:b`, `--key value`.
import type { DockerOptionFlag, LoggingConfig } from "../config/index.ts";
import { concat, raw, type Arg } from "../shell/index.ts";

/** `--env KEY=value` per entry; an empty value gives a bare `--env KEY` (Kamal's argumentize of a blank value). */
export function envArgs(clear: Readonly<Record<string, string>>): Arg[] {
  return Object.entries(clear).flatMap(([key, value]) => ["--env", value === "" ? key : `${key}=${value}`]);
}

/** `--label key=value` per label; an undefined value gives a bare `--label key`. */
export function labelArgs(labels: Readonly<Record<string, string | undefined>>): Arg[] {
  return Object.entries(labels).flatMap(([key, value]) => ["--label", value === undefined ? key : `${key}=${value}`]);
}

/** `--log-driver d` and `--log-opt k=v` (default `--log-opt max-size=10m`). */
export function loggingArgs(logging: LoggingConfig): Arg[] {
  const { driver, logOpts } = logging.dockerArgs;
  return [
    ...(driver === undefined ? [] : ["--log-driver", driver]),
    ...logOpts.flatMap(([key, value]) => ["--log-opt", value === "" ? key : `${key}=${value}`]),
  ];
}

/** Role/accessory `options:` (restart excluded): `--key value` or a bare `--key`. */
export function optionArgs(flags: readonly DockerOptionFlag[]): Arg[] {
  return flags.flatMap(([key, value]) => (value === true ? [`--${key}`] : [`--${key}`, value]));
}

/** A volume whose host side starts with `$PWD/` keeps `$PWD` for the remote shell (the SSH user's home). */
export function hostPathArg(path: string): Arg {
  return path.startsWith("$PWD/") ? concat(raw("$PWD"), path.slice("$PWD".length)) : path;
}

/** `--volume <host>:<container>` per entry. */
export function volumeArgs(volumes: readonly string[]): Arg[] {
  return volumes.flatMap((v) => ["--volume", hostPathArg(v)]);
}
