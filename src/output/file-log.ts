// output.file.path: one log file per top-level command,
// <path>/<YYYY-MM-DDTHH-MM-SS>[_<destination>]_<command>[_<subcommand>].log, ending with
// "# Completed in <runtime>s" or "# FAILED: <ErrorClass>: <msg> (<runtime>s)". Give it to Logger as a tee writer.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { errorKind } from "./fatal.ts";
import type { TextWriter } from "./logger.ts";
import type { Redactor } from "./redactor.ts";

export interface LogFileNameParts {
  command: string;
  subcommand?: string;
  destination?: string;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** Local time, like Ruby's Time.now.strftime("%Y-%m-%dT%H-%M-%S"). */
export function logFileName(at: Date, p: LogFileNameParts): string {
  const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
  return [stamp, p.destination, p.command, p.subcommand].filter((x) => x !== undefined && x !== "").join("_") + ".log";
}

export class FileLog implements TextWriter {
  readonly path: string;
  #fd: number | null;

  constructor(dir: string, at: Date, parts: LogFileNameParts, private readonly redactor?: Redactor) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, logFileName(at, parts));
    this.#fd = openSync(this.path, "a", 0o600);
  }

  write(text: string): void {
    if (this.#fd === null) return;
    writeSync(this.#fd, this.redactor ? this.redactor.scrub(text) : text);
  }

  /** Write the closing line and close the file. */
  finish(seconds: number, error?: unknown): void {
    if (error === undefined) this.write(`# Completed in ${seconds.toFixed(1)}s\n`);
    else this.write(`# FAILED: ${errorKind(error)}: ${error instanceof Error ? error.message : String(error)} (${seconds.toFixed(1)}s)\n`);
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}
