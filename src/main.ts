// Entry point of the single executable: `kamal` (the deploy CLI) or `kamal-proxy` (the proxy),
// chosen by the name the binary was invoked as (see src/cli/invoked-as.ts).
import { invokedAs } from "./cli/invoked-as.ts";

const args = process.argv.slice(2);
if (invokedAs(process.argv0, process.argv[1]) === "kamal-proxy") {
  const { proxyMain } = await import("./proxy/main.ts");
  process.exitCode = await proxyMain(args);
} else {
  const { kamalMain } = await import("./cli/main.ts");
  // Exit as soon as the command is done, as Kamal does: an idle pooled SSH connection or a timer must not keep
  // the process alive. All CLI output goes through synchronous fd writers (src/cli/stdio.ts), so none is lost.
  process.exit(await kamalMain(args));
}
