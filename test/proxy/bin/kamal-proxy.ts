// Test entry: runs the kamal-proxy CLI in its own process (`bun test/proxy/bin/kamal-proxy.ts <args>`).
import { proxyMain } from "../../../src/proxy/main.ts";

process.exitCode = await proxyMain(process.argv.slice(2));
