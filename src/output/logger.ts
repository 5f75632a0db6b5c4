// Kamal/SSHKit-style console output. Writers are injected; nothing here touches process.stdout.
//   default (info):  "  INFO [1a2b3c4d] Running docker ps on 1.2.3.4" / "Finished in 0.200 seconds with exit status 0 (successful)."
//   -v (debug):      adds "DEBUG [id] Command: ..." and every output line ("DEBUG [id] \t<line>")
//   -q (error):      only errors
// Every line goes through the Redactor first.
import { colors, type ColorName, type Colors } from "./color.ts";
import { fatalLine } from "./fatal.ts";
import { Redactor } from "./redactor.ts";

export type Verbosity = "debug" | "info" | "error";
export type LogLevel = "debug" | "info" | "warn" | "error" | "fatal";

export interface TextWriter {
  write(text: string): unknown;
}

export interface LoggerOptions {
  out: TextWriter;
  /** Where `error()` and fatal lines go; defaults to `out` (Kamal writes everything to stdout). */
  err?: TextWriter;
  verbosity?: Verbosity;
  color?: boolean;
  redactor?: Redactor;
  /** Extra writers (e.g. a log file) that receive every printed line, uncoloured. */
  tee?: TextWriter[];
  /** Structured receivers (e.g. the OTel shipper) of every line at every level, printed or not, redacted. */
  sinks?: LogSink[];
}

export interface LogRecord {
  timeMs: number;
  level: LogLevel;
  /** Plain text, redacted, no colour, no level/id prefix. */
  message: string;
  id?: string;
  host?: string;
  stream?: "stdout" | "stderr";
}

export interface LogSink {
  record(r: LogRecord): void;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };
const VERBOSITY_RANK: Record<Verbosity, number> = { debug: 0, info: 1, error: 3 };
const LEVEL_COLOR: Record<LogLevel, ColorName> = { debug: "black", info: "blue", warn: "yellow", error: "red", fatal: "red" };

export interface CommandStart {
  id: string;
  host: string;
  /** Shown as "as user@host" when set (SSHKit does this for local commands), else "on host". */
  user?: string;
  /** The display form of the command (secrets already [REDACTED]). */
  command: string;
  /** Level of the Running/Finished lines: "debug" hides them unless -v (lock and audit commands). */
  level?: "info" | "debug";
}

export class Logger {
  readonly verbosity: Verbosity;
  readonly redactor: Redactor;
  readonly #opts: LoggerOptions;
  readonly #c: Colors;

  constructor(opts: LoggerOptions) {
    this.#opts = opts;
    this.verbosity = opts.verbosity ?? "info";
    this.redactor = opts.redactor ?? new Redactor();
    this.#c = colors(opts.color ?? false);
  }

  /** The same writers and redactor at another verbosity (SSHKit's with_verbosity). */
  withVerbosity(verbosity: Verbosity): Logger {
    return new Logger({ ...this.#opts, verbosity, redactor: this.redactor });
  }

  enabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= VERBOSITY_RANK[this.verbosity];
  }

  /** One SSHKit-formatted line: "%6s [id] message". */
  log(level: LogLevel, message: string, id?: string, meta: { host?: string; stream?: "stdout" | "stderr" } = {}): void {
    const text = this.redactor.scrub(message);
    this.#record({ level, message: stripAnsi(text), id, ...meta });
    if (!this.enabled(level)) return;
    const name = level.toUpperCase().padStart(6);
    const c = this.#c;
    const prefix = id === undefined ? "" : `[${c.green(id)}] `;
    const plainPrefix = id === undefined ? "" : `[${id}] `;
    this.#emit(`${c[LEVEL_COLOR[level]](name)} ${prefix}${text}\n`, `${name} ${plainPrefix}${text}\n`, level);
  }

  debug(message: string, id?: string): void { this.log("debug", message, id); }
  info(message: string, id?: string): void { this.log("info", message, id); }
  warn(message: string, id?: string): void { this.log("warn", message, id); }
  error(message: string, id?: string): void { this.log("error", message, id); }

  /** Thor's `say`: the message as is (newline added), optionally coloured. Printed at every verbosity. */
  say(message: string, color?: ColorName): void {
    const text = this.redactor.scrub(message);
    const line = text.endsWith("\n") ? text : text + "\n";
    this.#record({ level: "info", message: text.replace(/\n$/, "") });
    this.#emit(color ? this.#colorLines(line, color) : line, line, "info");
  }

  /** Bytes as they are (for --raw); still redacted. */
  writeRaw(text: string): void {
    const scrubbed = this.redactor.scrub(text);
    this.#record({ level: "info", message: scrubbed });
    this.#emit(scrubbed, scrubbed, "info");
  }

  /** `puts_by_host`: "<Type> Host: <host>\n<output>\n\n"; quiet (-q) drops the header line. */
  putsByHost(host: string, output: string, opts: { type?: string; quiet?: boolean } = {}): void {
    this.say(opts.quiet ? `${output}\n\n` : `${opts.type ?? "App"} Host: ${host}\n${output}\n\n`);
  }

  /** The last words of a failed run: "  ERROR (<Class>): <message>" in red (to err), the stack only if verbose. */
  fatal(error: unknown, opts: { verbose?: boolean } = {}): void {
    const line = this.redactor.scrub(fatalLine(error)) + "\n";
    this.#record({ level: "fatal", message: line.trim() });
    const stack = opts.verbose && error instanceof Error && error.stack ? this.redactor.scrub(error.stack) + "\n" : "";
    this.#emit(this.#colorLines(line, "red") + stack, line + stack, "fatal");
  }

  commandStarted(s: CommandStart): void {
    const level = s.level ?? "info";
    const where = s.user ? `as ${s.user}@${s.host}` : `on ${s.host}`;
    this.log(level, `Running ${s.command} ${where}`, s.id, { host: s.host });
    this.log("debug", `Command: ${this.#c.blue(s.command)}`, s.id, { host: s.host });
  }

  /** One line of command output (shown with -v); stderr in red. */
  commandOutput(id: string, stream: "stdout" | "stderr", line: string, host?: string): void {
    const clean = this.redactor.scrub(line.replace(/\r?\n$/, ""));
    this.#record({ level: "debug", message: clean, id, host, stream });
    if (!this.enabled("debug")) return;
    const shown = "\t" + clean;
    this.#emitLine("debug", stream === "stderr" ? this.#c.red(shown) : shown, shown, id);
  }

  commandFinished(id: string, seconds: number, code: number, level: "info" | "debug" = "info", host?: string): void {
    const ok = code === 0;
    const status = ok ? this.#c.green("successful") : this.#c.red("failed");
    this.log(level, `Finished in ${seconds.toFixed(3)} seconds with exit status ${code} (${status}).`, id, { host });
  }

  #colorLines(text: string, color: ColorName): string {
    return text.split("\n").map((l) => (l === "" ? l : this.#c[color](l))).join("\n");
  }

  #record(r: Omit<LogRecord, "timeMs">): void {
    for (const sink of this.#opts.sinks ?? []) sink.record({ timeMs: Date.now(), ...r });
  }

  /** An already-redacted SSHKit line without recording it again. */
  #emitLine(level: LogLevel, colored: string, plain: string, id: string): void {
    const name = level.toUpperCase().padStart(6);
    this.#emit(`${this.#c[LEVEL_COLOR[level]](name)} [${this.#c.green(id)}] ${colored}\n`, `${name} [${id}] ${plain}\n`, level);
  }

  #emit(colored: string, plain: string, level: LogLevel): void {
    const target = LEVEL_RANK[level] >= LEVEL_RANK.error ? (this.#opts.err ?? this.#opts.out) : this.#opts.out;
    target.write(colored);
    for (const t of this.#opts.tee ?? []) t.write(stripAnsi(plain));
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, "");

/** A writer that collects text in memory (tests, capturing output of a sub-step). */
export class StringWriter implements TextWriter {
  text = "";
  write(chunk: string): void {
    this.text += chunk;
  }
}
