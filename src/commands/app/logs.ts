// `kamal app logs` lines (reference §3.5): the current container's id (or the one given) piped to docker logs.
import type { Config, Role } from "../../config/index.ts";
import { cmd, pipe, redirect, sh, type Cmd } from "../../shell/index.ts";
import { grepFilter, type LogOptions } from "../accessory.ts";
import { currentRunningContainer } from "./containers.ts";

export interface AppLogOptions extends LogOptions {
  /** --container-id: read this container's log instead of the current one's. */
  containerId?: string;
}

/** sh -c 'echo <id>' when an id is given, else the role's current running container id. */
const containerIdSource = (config: Config, role: Role, containerId?: string): Cmd =>
  containerId !== undefined ? sh(cmd("echo", containerId)) : currentRunningContainer(config, role, "id");

/** <id> | xargs docker logs [--timestamps] [--since X] [--tail N] [--follow] 2>&1 [| grep <g> <opts>] */
function logsPipe(config: Config, role: Role, opts: AppLogOptions, follow: boolean): Cmd {
  const logs = redirect(cmd(
    "xargs", "docker", "logs",
    opts.timestamps !== false && "--timestamps",
    opts.since !== undefined && ["--since", opts.since],
    opts.lines !== undefined && ["--tail", String(opts.lines)],
    follow && "--follow",
  ), "2>&", "1");
  const grep = grepFilter(opts);
  return pipe(containerIdSource(config, role, opts.containerId), ...(grep ? [logs, grep] : [logs]));
}

export const appLogs = (config: Config, role: Role, opts: AppLogOptions): Cmd => logsPipe(config, role, opts, false);

/** The same with --follow, run through `ssh -t` on one host. */
export const followAppLogs = (config: Config, role: Role, opts: AppLogOptions): Cmd => logsPipe(config, role, opts, true);
