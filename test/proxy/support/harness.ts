// Test harness: a real kamal-proxy server process, real CLI calls, and small upstream servers on loopback.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");
const BUN = join(ROOT, "node_modules/.bin/bun");
const ENTRY = join(ROOT, "test/proxy/bin/kamal-proxy.ts");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolvePort(port));
    });
  });
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(BUN, [ENTRY, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

export class ProxyProcess {
  logs = "";
  private child: ChildProcess | null = null;
  readonly env: Record<string, string>;

  constructor(
    readonly dir: string,
    readonly httpPort: number,
    readonly httpsPort: number,
    readonly metricsPort = 0,
  ) {
    this.env = { HOME: join(dir, "home"), KAMAL_PROXY_SOCKET: join(dir, "kamal-proxy.sock"), TMPDIR: dir };
  }

  /** Ports go to the server as flags, or (portsFromEnv) as KAMAL_PROXY_HTTP_PORT / HTTPS_PORT / METRICS_PORT. */
  portsFromEnv = false;

  /** Extra environment for the server process only. */
  serverEnv: Record<string, string> = {};

  static async start(options: { metrics?: boolean; extraArgs?: string[]; portsFromEnv?: boolean; serverEnv?: Record<string, string> } = {}): Promise<ProxyProcess> {
    const dir = mkdtempSync(join(tmpdir(), "kamal-proxy-test-"));
    // A port found free can be taken by another test before the proxy binds it: then try fresh ports.
    for (let attempt = 1; ; attempt++) {
      const proxy = new ProxyProcess(dir, await freePort(), await freePort(), options.metrics ? await freePort() : 0);
      proxy.serverEnv = options.serverEnv ?? {};
      proxy.portsFromEnv = options.portsFromEnv ?? false;
      try {
        await proxy.launch(options.extraArgs ?? []);
        return proxy;
      } catch (error) {
        if (attempt >= 3 || !proxy.logs.includes("address already in use")) throw error;
      }
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get statePath(): string {
    return join(this.env.HOME!, ".config/kamal-proxy/kamal-proxy.state");
  }

  async launch(extraArgs: string[] = []): Promise<void> {
    const args = ["run"];
    const env: Record<string, string> = { ...this.serverEnv, ...this.env };
    if (this.portsFromEnv) {
      Object.assign(env, { KAMAL_PROXY_HTTP_PORT: String(this.httpPort), HTTPS_PORT: String(this.httpsPort), METRICS_PORT: String(this.metricsPort) });
    } else {
      args.push("--http-port", String(this.httpPort), "--https-port", String(this.httpsPort));
      if (this.metricsPort) args.push("--metrics-port", String(this.metricsPort));
    }
    this.logs = "";
    const child = spawn(BUN, [ENTRY, ...args, ...extraArgs], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout!.on("data", (d) => (this.logs += d));
    child.stderr!.on("data", (d) => (this.logs += d));
    const deadline = Date.now() + 10_000;
    while (!this.logs.includes('"Server started"')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`proxy did not start: ${this.logs}`);
      await Bun.sleep(20);
    }
  }

  /**
   * Waits (up to 10 s: CI machines can be loaded; the access log is flushed in batches) until the proxy's output has a
   * COMPLETE line (newline-terminated, so JSON.parse never sees half a line) containing `text`; returns that line, or "".
   */
  async waitForLog(text: string): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const line = this.logs.split("\n").slice(0, -1).find((l) => l.includes(text));
      if (line !== undefined || Date.now() > deadline) return line ?? "";
      await Bun.sleep(10);
    }
  }

  cli(...args: string[]): Promise<CliResult> {
    return runCli(args, this.env);
  }

  /** Runs a CLI command that must succeed. */
  async ok(...args: string[]): Promise<void> {
    const result = await this.cli(...args);
    if (result.code !== 0) throw new Error(`kamal-proxy ${args.join(" ")} failed: ${result.stderr}`);
  }

  fetch(path: string, init: RequestInit & { host?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.host) headers.set("host", init.host);
    return fetch(this.url + path, { ...init, headers, redirect: "manual" });
  }

  /** Sends SIGTERM and waits for the exit code. */
  async terminate(): Promise<number> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? 0;
    const exited = new Promise<number>((r) => child.once("exit", (code) => r(code ?? -1)));
    child.kill("SIGTERM");
    return exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      await Promise.race([this.terminate(), Bun.sleep(3000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }

  async cleanup(): Promise<void> {
    await this.stop();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Upstream {
  port: number;
  target: string;
  requests: Request[];
  stop: (force?: boolean) => void;
}

/** An upstream on loopback: `/up` answers 200 unless `health` says otherwise; everything else goes to `handler`. */
export function startUpstream(
  handler: (req: Request, upstream: Upstream) => Response | Promise<Response> = (req) => new Response(`ok ${new URL(req.url).pathname}`),
  options: { health?: () => number; name?: string } = {},
): Upstream {
  const upstream: Upstream = { port: 0, target: "", requests: [], stop: () => undefined };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/up") return new Response(null, { status: options.health ? options.health() : 200 });
      upstream.requests.push(req);
      return handler(req, upstream);
    },
  });
  upstream.port = server.port!;
  upstream.target = `127.0.0.1:${server.port}`;
  upstream.stop = (force = true) => void server.stop(force);
  return upstream;
}

/** An upstream that answers with its name (for telling targets apart). */
export function namedUpstream(name: string): Upstream {
  return startUpstream(() => new Response(name));
}
