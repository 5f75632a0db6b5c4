import { Logger } from "../../../src/proxy/logger.ts";

/** A logger that keeps lines in memory (tests assert on them). */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new Logger("DEBUG", { write: (l) => void lines.push(l) }), lines };
}
