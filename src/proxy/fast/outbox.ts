// Writes to a Bun socket without losing bytes: Bun's raw sockets write what the kernel takes and return the
// count, so the rest is queued here and flushed from the socket's `drain` handler. Producers check `blocked`, pause
// their source, and resume it from `onFlushed` once the queue is empty: that is the backpressure.
import type { Socket } from "bun";

const NON_ASCII = /[^\x00-\x7f]/;

/** Strings (Latin-1 heads) and bytes as one buffer. */
function joinParts(parts: Array<string | Uint8Array>): Buffer {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const part of parts) {
    if (typeof part === "string") offset += out.write(part, offset, "latin1");
    else {
      out.set(part, offset);
      offset += part.length;
    }
  }
  return out;
}

export class Outbox {
  private queue: Uint8Array[] = [];
  closed = false;
  onFlushed: (() => void) | null = null;

  constructor(private readonly socket: Socket<unknown>) {}

  get blocked(): boolean {
    return this.queue.length > 0;
  }

  private corked: Array<string | Uint8Array> | null = null;
  private endWhenUncorked = false;

  /** Collects writes until `uncork`, which sends them as one (one syscall, one TCP segment when small). */
  cork(): void {
    this.corked ??= [];
  }

  uncork(): boolean {
    const parts = this.corked;
    this.corked = null;
    let sent = !this.blocked;
    if (parts && parts.length === 1) sent = this.write(parts[0]!);
    else if (parts && parts.length > 1) sent = this.write(joinParts(parts));
    if (this.endWhenUncorked) {
      this.endWhenUncorked = false;
      this.end();
    }
    return sent;
  }

  /** Sends or queues `data`; true when everything went out at once. */
  write(data: string | Uint8Array): boolean {
    if (this.closed) return false;
    if (this.corked) {
      this.corked.push(data);
      return true;
    }
    if (this.queue.length > 0) {
      this.queue.push(typeof data === "string" ? Buffer.from(data, "latin1") : data);
      return false;
    }
    if (typeof data === "string" && !NON_ASCII.test(data)) {
      // Heads are Latin-1 text (bytes as received); Bun writes strings as UTF-8, the same bytes when all are ASCII.
      // Written as a string they skip a Buffer allocation.
      const written = this.socket.write(data);
      if (written >= data.length) return true;
      if (written < 0) return false;
      this.queue.push(Buffer.from(data, "latin1").subarray(written));
      return false;
    }
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    const written = this.socket.write(bytes);
    if (written >= bytes.length) return true;
    if (written < 0) return false;
    this.queue.push(bytes.subarray(written));
    return false;
  }

  /** Called from the socket's drain handler. */
  drain(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const written = this.socket.write(head);
      if (written < 0) return;
      if (written < head.length) {
        this.queue[0] = head.subarray(written);
        return;
      }
      this.queue.shift();
    }
    this.onFlushed?.();
  }

  /** Ends the socket once everything queued has been written. */
  end(): void {
    if (this.closed) return;
    if (this.corked) {
      this.endWhenUncorked = true;
      return;
    }
    if (this.queue.length === 0) {
      this.closed = true;
      this.socket.end();
      return;
    }
    this.onFlushed = () => this.end();
  }

  destroy(): void {
    this.closed = true;
    this.corked = null;
    this.queue = [];
    this.socket.terminate();
  }
}
