// `kamal app exec` lines (reference §3.4 "Exec containers"): a new container from the app image, or the running one.
import type { Config, Role } from "../../config/index.ts";
import { docker, raw, type Arg, type Cmd } from "../../shell/index.ts";
import { envArgs, loggingArgs, optionArgs, volumeArgs } from "../docker-args.ts";

export interface ExecOptions {
  /** -it (a terminal on the remote side) or -i (stdin only, when this side is no terminal). */
  tty?: "it" | "i";
  /** -e KEY:VALUE pairs. */
  env?: Readonly<Record<string, string>>;
  /** --detach instead of --rm. */
  detach?: boolean;
}

/** The user's command words as one line for the remote shell (Kamal's join_commands). */
const userLine = (words: readonly string[]): Arg => raw(words.map((w) => w.trim()).join(" "));
const ttyArg = (opts: ExecOptions): Arg | undefined => (opts.tty === undefined ? undefined : `-${opts.tty}`);

/** `<prefix>-exec-<version>-<6 hex>` */
export const execContainerName = (role: Role, version: string, hex6: string): string => `${role.containerPrefix}-exec-${version}-${hex6}`;

/** docker run [-it|-i] [--detach|--rm] --name <exec name> --network kamal <env> [-e env] <logging> <volumes> <options> <image>:<version> CMD */
export function execInNewContainer(config: Config, role: Role, host: string, version: string, hex6: string, words: readonly string[], opts: ExecOptions = {}): Cmd {
  const env = role.envFor(host);
  return docker(
    "run", ttyArg(opts), opts.detach ? "--detach" : "--rm", "--name", execContainerName(role, version, hex6), "--network", "kamal",
    envArgs(env.clear), "--env-file", role.secretsPath, envArgs(opts.env ?? {}),
    loggingArgs(role.logging), volumeArgs(config.volumes), optionArgs(role.optionFlags),
    `${config.repository}:${version}`, userLine(words),
  );
}

/** docker exec [-it|-i] [--env k=v] <prefix>-<version> CMD */
export const execInExistingContainer = (role: Role, version: string, words: readonly string[], opts: ExecOptions = {}): Cmd =>
  docker("exec", ttyArg(opts), envArgs(opts.env ?? {}), role.containerName(version), userLine(words));
