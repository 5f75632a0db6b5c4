// The list of everything `kamal` can run.
//
// HOW TO ADD A COMMAND GROUP (or a top-level command):
//   1. Create src/cli/commands/<area>.ts that exports a group made with `defineGroup(name, desc, [defineCommand({...}), ...])`
//      (or one command made with `defineCommand`). Each command declares `params` and `options` (see options.ts);
//      its `run(input, ctx)` receives typed `input.params` / `input.options` and a CliContext (cwd, env, stdout,
//      stderr, global options, verbosity). Return an exit code or nothing; throw a KamalError for a user error.
//      A command without `run` prints "'kamal <cmd>' is not implemented yet in this build" and exits 1.
//   2. Import it below and put it in REGISTRY.
//   Keep handlers thin: parse nothing yourself, call a flow, print its result. Import heavy modules lazily
//   (`await import(...)` inside run) so `kamal version` stays fast.
import type { Registration } from "./define.ts";
import { accessoryGroup } from "./commands/accessory.ts";
import { appGroup } from "./commands/app.ts";
import { buildGroup, registryGroup } from "./commands/build.ts";
import { MAIN_COMMANDS } from "./commands/main.ts";
import { auditCommand } from "./commands/audit.ts";
import { lockGroup } from "./commands/lock.ts";
import { serverGroup } from "./commands/server.ts";
import { proxyGroup } from "./commands/proxy.ts";
import { pruneGroup } from "./commands/prune.ts";
import { secretsGroup } from "./commands/secrets.ts";

export const REGISTRY: readonly Registration[] = [
  ...MAIN_COMMANDS,
  auditCommand,
  accessoryGroup,
  appGroup,
  buildGroup,
  lockGroup,
  proxyGroup,
  pruneGroup,
  registryGroup,
  secretsGroup,
  serverGroup,
];
