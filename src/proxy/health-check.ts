// Periodic health check of one target (kamal-proxy §2.5): GET http://<host>:<port><path> with User-Agent
// kamal-proxy; success is a final 2xx within the timeout. First check at once, then every interval.
import type { HealthCheckConfig } from "./options.ts";
import type { Logger } from "./logger.ts";

export type HealthResultHandler = (healthy: boolean) => void;

/** `localhost:3000` + `/up` -> `http://localhost:3000/up`; a non-zero port replaces the target's port. */
export function healthCheckURL(target: string, config: Pick<HealthCheckConfig, "path" | "port">): string {
  const colon = target.lastIndexOf(":");
  const host = colon > 0 && !target.endsWith("]") ? target.slice(0, colon) : target;
  const authority = config.port > 0 ? `${host}:${config.port}` : target;
  const path = "/" + config.path.replace(/^\/+/, "");
  return `http://${authority}${path}`;
}

export class HealthCheck {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private inFlight: AbortController | undefined;
  readonly url: string;

  constructor(
    private readonly target: string,
    private readonly config: HealthCheckConfig,
    private readonly onResult: HealthResultHandler,
    private readonly logger: Logger,
  ) {
    this.url = healthCheckURL(target, config);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
  }

  /** One check: true on a 2xx (after redirects) within the timeout. */
  async check(): Promise<boolean> {
    const controller = new AbortController();
    this.inFlight = controller;
    const timeoutMs = this.config.timeout / 1e6;
    const timer = setTimeout(() => controller.abort(new Error("request timed out")), timeoutMs);
    const headers: Record<string, string> = { "User-Agent": "kamal-proxy" };
    if (this.config.host) headers.Host = this.config.host;
    try {
      const res = await fetch(this.url, { headers, signal: controller.signal, redirect: "follow" });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return true;
      this.failed(`unexpected status (${res.status})`);
      return false;
    } catch (error) {
      if (!this.running) return false;
      const reason = controller.signal.aborted ? "request timed out" : this.dialError(error);
      this.failed(reason);
      return false;
    } finally {
      clearTimeout(timer);
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  /** Go-style text for connection errors (`dial tcp host:port: connect: connection refused`). */
  private dialError(error: unknown): string {
    const code = (error as { code?: string }).code;
    const authority = this.url.slice("http://".length).split("/")[0];
    if (code === "ECONNREFUSED") return `dial tcp ${authority}: connect: connection refused`;
    if (code === "ConnectionRefused") return `dial tcp ${authority}: connect: connection refused`;
    return error instanceof Error ? error.message : String(error);
  }

  private failed(reason: string): void {
    this.logger.info("Healthcheck failed", { url: this.url, error: reason });
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    const healthy = await this.check();
    if (!this.running) return;
    this.onResult(healthy);
    if (!this.running) return;
    const interval = this.config.interval / 1e6;
    // Ticks missed while a check overran are dropped, like Go's ticker.
    const elapsed = Date.now() - started;
    const wait = elapsed >= interval ? interval - (elapsed % interval) : interval - elapsed;
    this.timer = setTimeout(() => void this.tick(), Math.max(1, wait));
  }
}
