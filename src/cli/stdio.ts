// Process stdout/stderr as synchronous fd writers. Cheaper at start-up than process.stdout (whose creation
// costs several ms in Bun) and nothing is lost when the process exits right after writing.
import { fstatSync, writeSync } from "node:fs";
import type { Writer } from "./context.ts";

const pause = new Int32Array(new SharedArrayBuffer(4));

export function fdWriter(fd: number): Writer {
  let tty: boolean | undefined;
  return {
    write(chunk: string | Uint8Array): boolean {
      const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += writeSync(fd, bytes, offset);
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 1); // a non-blocking pipe is full: wait 1 ms, retry
          else if (code === "EPIPE") return false; // reader went away (`kamal config | head`)
          else throw err;
        }
      }
      return true;
    },
    /** A character device is a terminal here (or /dev/null, where colours do no harm); avoids loading node:tty. */
    get isTTY(): boolean {
      if (tty === undefined) {
        try {
          tty = fstatSync(fd).isCharacterDevice();
        } catch {
          tty = false;
        }
      }
      return tty;
    },
  };
}
