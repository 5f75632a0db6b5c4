// `kamal-proxy run`: flag defaults from KAMAL_PROXY_<KEY> / <KEY>, then serve until SIGTERM/SIGINT.
import type { Env } from "../paths.ts";
import { socketPath, stateFilePath } from "../paths.ts";
import { ProxyServer } from "../server.ts";
import { parseGoBool, type FlagSpec } from "./flags.ts";

/** kamal-proxy's env lookup: `KAMAL_PROXY_<key>` first, then `<key>`; unparsable values keep the default. */
export function envDefault(env: Env, key: string, kind: "int" | "bool", fallback: number | boolean): number | boolean {
  const raw = env[`KAMAL_PROXY_${key}`] ?? env[key];
  if (raw === undefined) return fallback;
  if (kind === "bool") return parseGoBool(raw) ?? fallback;
  return /^[+-]?\d+$/.test(raw) ? Number(raw) : fallback;
}

export function runFlagsWithEnv(flags: FlagSpec[], env: Env): FlagSpec[] {
  const keys: Record<string, [string, "int" | "bool"]> = {
    debug: ["DEBUG", "bool"], "http-port": ["HTTP_PORT", "int"], "https-port": ["HTTPS_PORT", "int"], "metrics-port": ["METRICS_PORT", "int"],
  };
  return flags.map((f) => {
    const key = keys[f.name];
    return key ? { ...f, default: envDefault(env, key[0], key[1], f.default as number | boolean) } : f;
  });
}

/** Bun's fetch would send upstream traffic through $HTTP_PROXY (even to 127.0.0.1); a reverse proxy must not. */
export function disableEnvProxies(env: Env): void {
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"]) delete env[name];
}

export async function runServer(values: Map<string, unknown>, env: Env): Promise<number> {
  disableEnvProxies(process.env);
  const server = new ProxyServer({
    httpPort: values.get("http-port") as number,
    httpsPort: values.get("https-port") as number,
    metricsPort: values.get("metrics-port") as number,
    debug: values.get("debug") as boolean,
    http3: values.get("http3") === true,
    socketPath: socketPath(env),
    statePath: stateFilePath(env),
    // Opt-in: measured at about the throughput of Bun.serve + fetch, while handed-over connections (bodies,
    // WebSockets) pay an extra loopback hop. See README "Proxy benchmark".
    fastPath: parseGoBool(env.KAMAL_PROXY_FAST_PATH ?? "false") ?? false,
  });
  try {
    await server.start();
  } catch (error) {
    process.stderr.write(`Error: ${listenError(error, values)}\n`);
    await server.stop().catch(() => undefined);
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await server.stop();
  return 0;
}

function listenError(error: unknown, values: Map<string, unknown>): string {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e.code === "EADDRINUSE") {
    const port = e.port ?? /:(\d+)/.exec(e.message)?.[1] ?? values.get("http-port");
    return `listen tcp :${port}: bind: address already in use`;
  }
  return e.message ?? String(error);
}
