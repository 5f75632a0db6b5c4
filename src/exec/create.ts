// The usual wiring: "localhost" runs locally, every other host over the SSH pool.
import type { Logger } from "../output/index.ts";
import { LocalTransport, type LocalTransportOptions } from "./local.ts";
import { CommandRunner, RoutingTransport, type CommandObserver } from "./runner.ts";
import { SshPool } from "./ssh/pool.ts";
import type { SshOptions } from "./ssh/options.ts";

export interface CreateRunnerOptions {
  ssh?: SshOptions;
  local?: LocalTransportOptions;
  logger: Logger;
  observers?: CommandObserver[];
}

export function createRunner(o: CreateRunnerOptions): CommandRunner {
  return new CommandRunner(new RoutingTransport(new LocalTransport(o.local), new SshPool(o.ssh)), o.logger, o.observers);
}
