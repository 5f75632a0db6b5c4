// Entry point of the single executable: `kamal` (the deploy CLI) or `kamal-proxy` (the proxy),
// chosen by the name the binary was invoked as.
import { basename } from "node:path";

function invokedAs(): "kamal" | "kamal-proxy" {
  const names = [process.argv0, process.argv[1] ?? ""].map((p) => basename(p));
  return names.some((n) => n === "kamal-proxy" || n.startsWith("kamal-proxy.")) ? "kamal-proxy" : "kamal";
}

const args = process.argv.slice(2);
if (invokedAs() === "kamal-proxy") {
  const { proxyMain } = await import("./proxy/main.ts");
  process.exitCode = await proxyMain(args);
} else {
  const { kamalMain } = await import("./cli/main.ts");
  process.exitCode = await kamalMain(args);
}
