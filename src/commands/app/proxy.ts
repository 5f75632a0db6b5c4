// Telling kamal-proxy about app containers (reference §3.7): `docker exec kamal-proxy kamal-proxy <cmd> <svc>-<role>[-<dest>] ...`.
import type { Config, Role } from "../../config/index.ts";
import { PROXY_CONTAINER_NAME } from "../../config/index.ts";
import { docker, type Arg, type Cmd } from "../../shell/index.ts";

const kamalProxy = (...args: (Arg | Arg[] | false | undefined)[]): Cmd => docker("exec", PROXY_CONTAINER_NAME, "kamal-proxy", ...args);

/** kamal-proxy deploy <prefix> --target=<container id>:<app port> <flags in Kamal's order> (blocks until healthy or timeout). */
export function deployToProxy(config: Config, role: Role, targetId: string, version: string): Cmd {
  const proxy = role.proxy;
  if (!proxy) throw new Error(`role ${role.name} does not run kamal-proxy`);
  const flags = proxy.deployFlags({
    deployTimeout: config.deployTimeout,
    drainTimeout: config.drainTimeout,
    serviceAndDestination: config.serviceAndDestination,
    errorPagesVersion: config.errorPagesPath !== undefined ? version : undefined,
  });
  return kamalProxy(
    "deploy", role.containerPrefix, `--target=${targetId}:${proxy.appPort}`,
    flags.map(([name, value]) => (value === true ? `--${name}` : `--${name}=${value}`)),
  );
}

/** kamal-proxy remove <prefix> */
export const removeFromProxy = (role: Role): Cmd => kamalProxy("remove", role.containerPrefix);

/** kamal-proxy stop <prefix> [--drain-timeout=Ns] [--message=...] (maintenance mode) */
export const stopInProxy = (role: Role, opts: { drainTimeout?: number; message?: string } = {}): Cmd =>
  kamalProxy("stop", role.containerPrefix,
    opts.drainTimeout !== undefined && `--drain-timeout=${opts.drainTimeout}s`,
    opts.message !== undefined && `--message=${opts.message}`);

/** kamal-proxy resume <prefix> (live) */
export const resumeInProxy = (role: Role): Cmd => kamalProxy("resume", role.containerPrefix);
