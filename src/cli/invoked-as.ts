// Which program the single executable should behave as, from the name it was invoked by.
// In a `bun build --compile` binary started through a symlink `kamal-proxy -> kamal`, process.argv0 is the
// invoked path (`./kamal-proxy`, `kamal-proxy` from PATH), process.argv[1] is `/$bunfs/root/<outfile name>` and
// process.execPath is the resolved binary (`.../kamal`); so argv0 decides. From source (`bun src/main.ts`,
// `deno run src/main.ts`) argv0 is the runtime and argv[1] the script path.
import { basename } from "node:path";

export type Program = "kamal" | "kamal-proxy";

const isProxyName = (path: string): boolean => {
  const name = basename(path);
  return name === "kamal-proxy" || name.startsWith("kamal-proxy.");
};

export function invokedAs(argv0: string, argv1: string | undefined): Program {
  const compiled = argv1 !== undefined && (argv1.startsWith("/$bunfs/") || argv1.startsWith("B:/~BUN/"));
  const candidates = compiled ? [argv0] : [argv0, argv1 ?? ""];
  return candidates.some(isProxyName) ? "kamal-proxy" : "kamal";
}
