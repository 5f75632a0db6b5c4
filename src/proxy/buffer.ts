// Request/response body buffering (kamal-proxy §2.9): keep up to `maxMemoryBytes` in memory, spill the rest to a
// temp file `proxy-buffer-*` in $TMPDIR (removed on dispose), fail with MaximumSizeExceeded past `maxBytes` (0 = no limit).
import { randomUUID } from "node:crypto";
import { open, unlink, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BufferLimits {
  /** Bytes kept in memory before spilling to a temp file (kamal-proxy `--buffer-memory`, default 1 MiB). */
  maxMemoryBytes: number;
  /** Total limit in bytes; 0 = unlimited (`--max-request-body` / `--max-response-body`). */
  maxBytes: number;
  /** Directory for spill files; default os.tmpdir() (honours $TMPDIR like Go's os.CreateTemp). */
  tempDir?: string;
}

export const DEFAULT_BUFFER_MEMORY = 1024 * 1024;

export class MaximumSizeExceeded extends Error {
  constructor() {
    super("maximum size exceeded");
    this.name = "MaximumSizeExceeded";
  }
}

const FILE_READ_CHUNK = 64 * 1024;

/** A body held in memory and (past the memory limit) in a temp file. Call dispose() when done, or read stream() to the end. */
export class BufferedBody {
  private readonly memory: Uint8Array<ArrayBuffer>[] = [];
  private memoryBytes = 0;
  private file: FileHandle | undefined;
  private fileBytes = 0;
  private disposed = false;
  /** Path of the spill file, if the body outgrew memory. */
  spillPath: string | undefined;

  constructor(private readonly limits: BufferLimits) {}

  get size(): number {
    return this.memoryBytes + this.fileBytes;
  }

  get spilled(): boolean {
    return this.spillPath !== undefined;
  }

  /** Appends a chunk; throws MaximumSizeExceeded when the total would exceed maxBytes (> max, not >=). */
  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.byteLength === 0) return;
    if (this.limits.maxBytes > 0 && this.size + chunk.byteLength > this.limits.maxBytes) throw new MaximumSizeExceeded();
    const memoryRoom = Math.max(0, this.limits.maxMemoryBytes - this.memoryBytes);
    if (memoryRoom > 0) {
      const inMemory = chunk.byteLength <= memoryRoom ? chunk : chunk.subarray(0, memoryRoom);
      this.memory.push(inMemory.slice());
      this.memoryBytes += inMemory.byteLength;
      chunk = chunk.subarray(inMemory.byteLength);
    }
    if (chunk.byteLength === 0) return;
    const file = await this.spillFile();
    let written = 0;
    while (written < chunk.byteLength) {
      const { bytesWritten } = await file.write(chunk, written, chunk.byteLength - written, this.fileBytes + written);
      written += bytesWritten;
    }
    this.fileBytes += written;
  }

  /**
   * The body for a fetch()/Response: the bytes themselves while they fit in memory (so a Content-Length is sent and
   * no stream machinery runs), else stream(). Either way the buffer owns nothing afterwards once the body is consumed.
   */
  bodyInit(): Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> {
    if (this.spilled) return this.stream();
    const bytes = this.memory.length === 1 ? this.memory[0] : concatChunks(this.memory, this.memoryBytes);
    this.memory.length = 0;
    this.disposed = true;
    return bytes;
  }

  /** The whole body as one stream (memory part, then file part); the buffer is disposed when the stream ends or is cancelled. */
  stream(): ReadableStream<Uint8Array> {
    let memoryIndex = 0;
    let filePosition = 0;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          if (memoryIndex < this.memory.length) {
            controller.enqueue(this.memory[memoryIndex++]);
            return;
          }
          if (this.file && filePosition < this.fileBytes) {
            const length = Math.min(FILE_READ_CHUNK, this.fileBytes - filePosition);
            const chunk = new Uint8Array(length);
            const { bytesRead } = await this.file.read(chunk, 0, length, filePosition);
            if (bytesRead === 0) throw new Error("proxy buffer file ended early");
            filePosition += bytesRead;
            controller.enqueue(chunk.subarray(0, bytesRead));
            return;
          }
          await this.dispose();
          controller.close();
        } catch (error) {
          await this.dispose();
          controller.error(error);
        }
      },
      cancel: async () => {
        await this.dispose();
      },
    });
  }

  /** The whole body in one array (for small bodies and tests). */
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await new Response(this.stream()).arrayBuffer());
  }

  /** Closes and removes the spill file. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.memory.length = 0;
    const file = this.file;
    const path = this.spillPath;
    this.file = undefined;
    if (file) await file.close().catch(() => undefined);
    if (path) await unlink(path).catch(() => undefined);
  }

  private async spillFile(): Promise<FileHandle> {
    if (this.disposed) throw new Error("proxy buffer already disposed");
    if (this.file) return this.file;
    const path = join(this.limits.tempDir ?? tmpdir(), `proxy-buffer-${randomUUID()}`);
    this.file = await open(path, "wx+", 0o600);
    this.spillPath = path;
    return this.file;
  }
}

function concatChunks(chunks: Uint8Array<ArrayBuffer>[], total: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function declaredLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Reads a body whose Content-Length is known: over the maximum fails at once; one that fits in memory is read in
 * one piece (much cheaper than chunk by chunk); anything else goes through bufferStream.
 */
async function bufferBody(source: Request | Response, limits: BufferLimits): Promise<BufferedBody> {
  const declared = declaredLength(source.headers);
  if (declared !== undefined && limits.maxBytes > 0 && declared > limits.maxBytes) {
    await source.body?.cancel().catch(() => undefined);
    throw new MaximumSizeExceeded();
  }
  if (declared !== undefined && declared <= limits.maxMemoryBytes) {
    const buffer = new BufferedBody(limits);
    await buffer.write(new Uint8Array(await source.arrayBuffer()));
    return buffer;
  }
  return bufferStream(source.body, limits);
}

/** Reads a whole stream into a BufferedBody. On any error (incl. MaximumSizeExceeded) the buffer is disposed and the error rethrown. */
export async function bufferStream(body: ReadableStream<Uint8Array> | null, limits: BufferLimits): Promise<BufferedBody> {
  const buffer = new BufferedBody(limits);
  if (!body) return buffer;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await buffer.write(value);
    }
    return buffer;
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    await buffer.dispose();
    throw error;
  }
}

/** Request buffering: the whole body read before the upstream is contacted. Throws MaximumSizeExceeded (-> 413). */
export function bufferRequestBody(req: Request, limits: BufferLimits): Promise<BufferedBody> {
  return req.body ? bufferBody(req, limits) : Promise.resolve(new BufferedBody(limits));
}

/** kamal-proxy's bypass rule: Server-Sent Events and chunked responses stream through even when buffering is on. */
export function shouldStreamResponse(headers: Headers): boolean {
  const mediaType = (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType === "text/event-stream") return true;
  return (headers.get("transfer-encoding") ?? "").toLowerCase() === "chunked";
}

export type BufferedResponse =
  | { kind: "buffered"; response: Response; body: BufferedBody }
  | { kind: "streamed"; response: Response }
  | { kind: "too-large" };

/**
 * Response buffering: reads the upstream body completely, then returns a Response with the same status and headers,
 * an exact Content-Length, and a body streamed from the buffer (disposed when fully sent or cancelled).
 * Streaming responses (see shouldStreamResponse) pass through untouched. Overflow -> "too-large" (-> 500 error page);
 * the upstream body is cancelled and nothing is kept.
 */
export async function bufferResponse(upstream: Response, limits: BufferLimits): Promise<BufferedResponse> {
  if (shouldStreamResponse(upstream.headers)) return { kind: "streamed", response: upstream };
  let body: BufferedBody;
  try {
    body = upstream.body ? await bufferBody(upstream, limits) : new BufferedBody(limits);
  } catch (error) {
    if (error instanceof MaximumSizeExceeded) return { kind: "too-large" };
    throw error;
  }
  const headers = new Headers(upstream.headers);
  headers.delete("transfer-encoding");
  const bodyless = upstream.status === 204 || upstream.status === 304 || (upstream.status >= 100 && upstream.status < 200);
  if (bodyless) {
    await body.dispose();
    return { kind: "buffered", response: new Response(null, { status: upstream.status, statusText: upstream.statusText, headers }), body };
  }
  // An empty buffer keeps the upstream's length (a HEAD answer has a Content-Length but no body).
  if (body.size > 0 || !headers.has("content-length")) headers.set("content-length", String(body.size));
  const response = new Response(body.bodyInit(), { status: upstream.status, statusText: upstream.statusText, headers });
  return { kind: "buffered", response, body };
}
