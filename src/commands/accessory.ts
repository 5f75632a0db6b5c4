// Accessory commands (reference §3.13, Kamal's commands/accessory.rb), as argv data.
import { dirname } from "node:path";
import type { Accessory, LoggingConfig, ProxyFlag } from "../config/index.ts";
import { PROXY_CONTAINER_NAME } from "../config/index.ts";
import { cmd, docker, pipe, raw, redirect, type Arg, type Cmd } from "../shell/index.ts";
import { shellsplit } from "../shell/shellwords.ts";
import { envArgs, hostPathArg, labelArgs, loggingArgs, optionArgs, volumeArgs } from "./docker-args.ts";

const serviceFilter = (a: Accessory): Arg[] => ["--filter", `label=service=${a.serviceName}`];
const envFileArgs = (a: Accessory): Arg[] => ["--env-file", a.secretsPath];
/** The user's command words as one line for the remote shell (Kamal's join_commands: stripped, joined by spaces). */
const userLine = (words: readonly string[]): Arg => raw(words.map((w) => w.trim()).join(" "));

/** docker run --name <svc> --detach --restart <policy> --network <net> <logging> [--publish p] --env KAMAL_HOST=<host> <env> --env-file <f> <volumes> <labels> <options> <image> [<cmd>] */
export function run(a: Accessory, logging: LoggingConfig, host: string): Cmd {
  return docker(
    "run", "--name", a.serviceName, "--detach", "--restart", a.restartPolicy, "--network", a.network,
    loggingArgs(logging),
    a.port !== undefined && ["--publish", a.port],
    "--env", `KAMAL_HOST=${host}`, envArgs(a.env.clear), envFileArgs(a),
    volumeArgs(a.volumes), labelArgs(a.labels), optionArgs(a.optionFlags),
    a.image,
    a.cmd !== undefined && raw(a.cmd),
  );
}

export const start = (a: Accessory): Cmd => docker("container", "start", a.serviceName);
export const stop = (a: Accessory): Cmd => docker("container", "stop", a.serviceName);

/** docker ps [-a] [-q] --filter label=service=<svc> */
export const info = (a: Accessory, opts: { all?: boolean; quiet?: boolean } = {}): Cmd =>
  docker("ps", opts.all && "-a", opts.quiet && "-q", serviceFilter(a));

export interface LogOptions {
  timestamps?: boolean;
  since?: string;
  lines?: number;
  grep?: string;
  /** Extra grep flags as typed (split into words like a shell would). */
  grepOptions?: string;
}

/** `| grep <g> [<opts>]` when --grep is given. */
export function grepFilter(opts: LogOptions): Cmd | undefined {
  if (opts.grep === undefined) return undefined;
  return cmd("grep", opts.grep, opts.grepOptions === undefined ? [] : shellsplit(opts.grepOptions));
}

/** docker logs <svc> [--since X] [--tail N] [--timestamps] 2>&1 [| grep <g> <opts>] */
export function logs(a: Accessory, opts: LogOptions): Cmd {
  const logsCmd = redirect(docker(
    "logs", a.serviceName,
    opts.since !== undefined && ["--since", opts.since],
    opts.lines !== undefined && ["--tail", String(opts.lines)],
    opts.timestamps !== false && "--timestamps",
  ), "2>&", "1");
  const grep = grepFilter(opts);
  return grep ? pipe(logsCmd, grep) : logsCmd;
}

/** docker logs <svc> [--timestamps] --tail N --follow 2>&1 [| grep <g>] (run over `ssh -t`). */
export function followLogs(a: Accessory, opts: LogOptions): Cmd {
  const logsCmd = redirect(docker(
    "logs", a.serviceName, opts.timestamps !== false && "--timestamps",
    opts.since !== undefined && ["--since", opts.since],
    opts.lines !== undefined && ["--tail", String(opts.lines)], "--follow",
  ), "2>&", "1");
  const grep = grepFilter(opts);
  return grep ? pipe(logsCmd, grep) : logsCmd;
}

/** docker run [-it] --rm --network <net> <env> <volumes> <image> CMD */
export const executeInNewContainer = (a: Accessory, words: readonly string[], opts: { interactive?: boolean } = {}): Cmd =>
  docker("run", opts.interactive && "-it", "--rm", "--network", a.network, envArgs(a.env.clear), envFileArgs(a), volumeArgs(a.volumes), a.image, userLine(words));

/** docker exec [-it] <svc> CMD */
export const executeInExistingContainer = (a: Accessory, words: readonly string[], opts: { interactive?: boolean } = {}): Cmd =>
  docker("exec", opts.interactive && "-it", a.serviceName, userLine(words));

export const pullImage = (a: Accessory): Cmd => docker("image", "pull", a.image);
/** docker container prune --force --filter label=service=<svc> */
export const removeContainer = (a: Accessory): Cmd => docker("container", "prune", "--force", serviceFilter(a));
export const removeImage = (a: Accessory): Cmd => docker("image", "rm", "--force", a.image);
/** rm -rf <svc>: the files and data directories under the SSH user's home. */
export const removeServiceDirectory = (a: Accessory): Cmd => cmd("rm", "-rf", a.serviceName);
export const ensureEnvDirectory = (a: Accessory): Cmd => cmd("mkdir", "-p", a.envDirectory);

/** mkdir -p <dir> (a `$PWD/...` path keeps `$PWD` for the remote shell). */
export const makeDirectory = (path: string): Cmd => cmd("mkdir", "-p", hostPathArg(path));
/** mkdir -p <parent of the uploaded file> */
export const makeDirectoryFor = (remoteFile: string): Cmd => makeDirectory(dirname(remoteFile));
export const chmod = (mode: string, path: string): Cmd => cmd("chmod", mode, hostPathArg(path));
export const chown = (owner: string, path: string): Cmd => cmd("chown", owner, hostPathArg(path));

/** docker network create <net> ("already exists" is fine). */
export const createNetwork = (network: string): Cmd => docker("network", "create", network);

/** The running container's id: docker container ls --filter name=^<svc>$ --quiet */
export const runningContainerId = (a: Accessory): Cmd =>
  docker("container", "ls", "--filter", `name=^${a.serviceName}$`, "--quiet");

const proxyFlagArgs = (flags: readonly ProxyFlag[]): Arg[] => flags.map(([name, value]) => (value === true ? `--${name}` : `--${name}=${value}`));

/** docker exec kamal-proxy kamal-proxy deploy <svc> --target=<id>:<port> <flags> */
export const proxyDeploy = (a: Accessory, target: string, flags: readonly ProxyFlag[]): Cmd =>
  docker("exec", PROXY_CONTAINER_NAME, "kamal-proxy", "deploy", a.serviceName, `--target=${target}:${a.proxy?.appPort ?? 80}`, proxyFlagArgs(flags));

/** docker exec kamal-proxy kamal-proxy remove <svc> */
export const proxyRemove = (a: Accessory): Cmd => docker("exec", PROXY_CONTAINER_NAME, "kamal-proxy", "remove", a.serviceName);

