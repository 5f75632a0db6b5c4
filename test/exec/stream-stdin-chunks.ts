// A stdin stream for tests: `count` chunks of `size` bytes, produced only when the reader asks (counts them).
import { Readable } from "node:stream";

export function countedChunks(count: number, size: number): { stream: Readable; produced: () => number } {
  let produced = 0;
  const chunk = Buffer.alloc(size, 0x61);
  const stream = new Readable({
    highWaterMark: size,
    read() {
      if (produced === count) { this.push(null); return; }
      produced++;
      this.push(chunk);
    },
  });
  return { stream, produced: () => produced };
}

/** A stream that fails after one chunk (a file that vanished while being read). */
export function failingStream(): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) { sent = true; this.push(Buffer.from("first chunk\n")); return; }
      setTimeout(() => this.destroy(new Error("disk gone")), 20);
    },
  });
}
