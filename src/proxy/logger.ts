// JSON log lines on stdout, shaped like Go's slog JSON handler: time, level, msg, then attributes in order.

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";
const RANK: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

export type LogAttrs = Record<string, unknown>;

export interface LogSink {
  write(line: string): void;
}

export const stdoutSink: LogSink = { write: (line) => void process.stdout.write(line) };

/** Collects lines and writes them together (at most `delayMs` later, or at 64 KB): one syscall for many lines. */
export class BatchingSink implements LogSink {
  private pending = "";
  private scheduled = false;

  constructor(
    private readonly target: (text: string) => void = (text) => void process.stdout.write(text),
    private readonly delayMs = 10,
  ) {}

  write(line: string): void {
    this.pending += line;
    if (this.pending.length > 65536) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), this.delayMs);
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === "") return;
    const text = this.pending;
    this.pending = "";
    this.target(text);
  }
}

export class Logger {
  constructor(
    private readonly level: LogLevel = "INFO",
    private readonly sink: LogSink = stdoutSink,
  ) {}

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  log(level: LogLevel, msg: string, attrs?: LogAttrs): void {
    if (!this.enabled(level)) return;
    const head = `{"time":${JSON.stringify(new Date().toISOString())},"level":"${level}","msg":${JSON.stringify(msg)}`;
    let body = "";
    if (attrs) {
      for (const key in attrs) {
        const value = attrs[key];
        body += `,${JSON.stringify(key)}:${JSON.stringify(value instanceof Error ? value.message : value ?? null)}`;
      }
    }
    this.sink.write(head + body + "}\n");
  }

  debug(msg: string, attrs?: LogAttrs): void {
    this.log("DEBUG", msg, attrs);
  }
  info(msg: string, attrs?: LogAttrs): void {
    this.log("INFO", msg, attrs);
  }
  warn(msg: string, attrs?: LogAttrs): void {
    this.log("WARN", msg, attrs);
  }
  error(msg: string, attrs?: LogAttrs): void {
    this.log("ERROR", msg, attrs);
  }
}
