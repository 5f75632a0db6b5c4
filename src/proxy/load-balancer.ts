// Writers and readers of one deployment (kamal-proxy §2.5): health checks, round robin over healthy targets,
// reads to readers unless the client holds a fresh `kamal-writer` cookie, wait-until-healthy and drain.
import { HealthCheck } from "./health-check.ts";
import type { Logger } from "./logger.ts";
import type { HealthCheckConfig } from "./options.ts";
import { cookieValue } from "./rollout-controller.ts";
import { Target, validateTargetName } from "./target.ts";

export const WRITER_COOKIE = "kamal-writer";

export class TargetListError extends Error {}

export function buildTargets(names: string[], logger: Logger): Target[] {
  return names.map((name) => {
    const error = validateTargetName(name);
    if (error) throw new TargetListError(error);
    return new Target(name, logger);
  });
}

export class LoadBalancer {
  private readonly checks = new Map<Target, HealthCheck>();
  private healthyWriters: Target[] = [];
  private healthyReaders: Target[] = [];
  private writerIndex = 0;
  private readerIndex = 0;
  private healthWaiters: Array<() => void> = [];

  constructor(
    readonly writers: Target[],
    readonly readers: Target[],
    private readonly logger: Logger,
  ) {}

  get targets(): Target[] {
    return [...this.writers, ...this.readers];
  }

  get hasReaders(): boolean {
    return this.readers.length > 0;
  }

  get writerNames(): string[] {
    return this.writers.map((t) => t.name);
  }

  get readerNames(): string[] {
    return this.readers.map((t) => t.name);
  }

  get allHealthy(): boolean {
    return this.targets.every((t) => t.healthy);
  }

  startHealthChecks(config: HealthCheckConfig): void {
    for (const target of this.targets) {
      if (this.checks.has(target)) continue;
      const check = new HealthCheck(target.name, config, (ok) => this.healthResult(target, check, ok), this.logger);
      this.checks.set(target, check);
      check.start();
    }
  }

  stopHealthChecks(): void {
    for (const check of this.checks.values()) check.stop();
    this.checks.clear();
  }

  /** After a restore: trust the saved targets at once (kamal-proxy does not wait on restart). */
  markAllHealthy(): void {
    for (const target of this.targets) target.state = "healthy";
    this.rebuildRotation();
  }

  /** Resolves true when every target has reported healthy, false after `timeoutMs`. */
  waitUntilHealthy(timeoutMs: number): Promise<boolean> {
    if (this.allHealthy) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.healthWaiters = this.healthWaiters.filter((w) => w !== waiter);
        resolve(this.allHealthy);
      }, timeoutMs);
      const waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.healthWaiters.push(waiter);
    });
  }

  /** Picks a healthy target: readers for reads (unless writer affinity applies), else writers; null => 503. */
  claim(isRead: boolean, cookieHeader: string | null): Target | null {
    if (isRead && this.healthyReaders.length > 0 && !hasFreshWriterCookie(cookieHeader)) {
      const n = this.healthyReaders.length;
      this.readerIndex = (this.readerIndex + 1) % n;
      return this.healthyReaders[this.readerIndex]!;
    }
    const n = this.healthyWriters.length;
    if (n === 0) return null;
    this.writerIndex = (this.writerIndex + 1) % n;
    return this.healthyWriters[this.writerIndex]!;
  }

  async drain(timeoutMs: number): Promise<void> {
    await Promise.all(this.targets.map((t) => t.drain(timeoutMs)));
  }

  private healthResult(target: Target, check: HealthCheck, ok: boolean): void {
    const was = target.state;
    if (was === "draining") return;
    const next = ok ? "healthy" : was === "adding" ? "adding" : "unhealthy";
    if (next !== was) {
      target.state = next;
      this.logger.info("Target health updated", { target: target.name, state: next, was });
      this.rebuildRotation();
    }
    if (ok && this.targets.length === 1) {
      // kamal-proxy stops checking a single-target deployment once it is healthy (see QUIRKS.md).
      check.stop();
      this.checks.delete(target);
    }
    if (this.healthWaiters.length > 0 && this.allHealthy) {
      const waiters = this.healthWaiters;
      this.healthWaiters = [];
      for (const w of waiters) w();
    }
  }

  private rebuildRotation(): void {
    this.healthyWriters = this.writers.filter((t) => t.healthy);
    this.healthyReaders = this.readers.filter((t) => t.healthy);
    if (this.writerIndex >= this.healthyWriters.length) this.writerIndex = 0;
    if (this.readerIndex >= this.healthyReaders.length) this.readerIndex = 0;
  }
}

function hasFreshWriterCookie(cookieHeader: string | null): boolean {
  if (!cookieHeader || !cookieHeader.includes(WRITER_COOKIE)) return false;
  const value = Number(cookieValue(cookieHeader, WRITER_COOKIE));
  return Number.isFinite(value) && Date.now() < value;
}

export function writerAffinityCookie(timeoutNs: number, now = Date.now()): string {
  const expiry = now + Math.round(timeoutNs / 1e6);
  return `${WRITER_COOKIE}=${expiry}; Path=/; Expires=${new Date(expiry + 1000).toUTCString()}; HttpOnly`;
}
