// Entry of `kamal-proxy` (src/main.ts calls this when the binary is invoked under that name).
import { runProxyCli } from "./cli/main.ts";

export async function proxyMain(args: string[]): Promise<number> {
  return runProxyCli(args);
}
