// A readable end-of-run summary: per host, how many commands ran and what failed.
//   Summary: 2 of 3 hosts OK, 31 commands in 12.3s
//     vm1  ok      14 commands
//     vm2  ok      14 commands
//     vm3  FAILED  3 commands; Connection refused - connect(2) for vm3:22
export interface CommandOutcome {
  host: string;
  /** Display form (redacted). */
  command: string;
  code: number;
  seconds: number;
}

interface HostState {
  commands: number;
  failures: string[];
}

export class RunSummary {
  readonly #hosts = new Map<string, HostState>();
  readonly #startedMs: number;

  constructor(private readonly now: () => number = Date.now) {
    this.#startedMs = now();
  }

  #host(host: string): HostState {
    let s = this.#hosts.get(host);
    if (!s) this.#hosts.set(host, (s = { commands: 0, failures: [] }));
    return s;
  }

  commandFinished(o: CommandOutcome): void {
    this.#host(o.host).commands++;
  }

  hostFailed(host: string, message: string): void {
    this.#host(host).failures.push(message.split("\n")[0]);
  }

  /** Mark the hosts named in an error from onHosts/onRoles (HostError has .host and .cause, aggregates have .errors). */
  recordError(e: unknown): void {
    const visit = (x: unknown): void => {
      const err = x as { host?: unknown; cause?: unknown; errors?: unknown; message?: unknown };
      if (Array.isArray(err?.errors)) err.errors.forEach(visit);
      else if (typeof err?.host === "string") {
        const cause = err.cause as { message?: unknown } | undefined;
        const msg = typeof cause?.message === "string" ? cause.message : String(err.message);
        this.hostFailed(err.host, msg);
      } else if (err?.cause) visit(err.cause);
    };
    visit(e);
  }

  get failedHosts(): string[] {
    return [...this.#hosts].filter(([, s]) => s.failures.length > 0).map(([h]) => h);
  }

  lines(): string[] {
    const hosts = [...this.#hosts];
    if (hosts.length === 0) return [];
    const ok = hosts.filter(([, s]) => s.failures.length === 0).length;
    const total = hosts.reduce((n, [, s]) => n + s.commands, 0);
    const seconds = ((this.now() - this.#startedMs) / 1000).toFixed(1);
    const width = Math.max(...hosts.map(([h]) => h.length));
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
    return [
      `Summary: ${ok} of ${plural(hosts.length, "host")} OK, ${plural(total, "command")} in ${seconds}s`,
      ...hosts.map(([h, s]) =>
        s.failures.length === 0
          ? `  ${h.padEnd(width)}  ok      ${plural(s.commands, "command")}`
          : `  ${h.padEnd(width)}  FAILED  ${plural(s.commands, "command")}; ${s.failures.join("; ")}`,
      ),
    ];
  }
}
