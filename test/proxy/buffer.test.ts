import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BufferedBody, MaximumSizeExceeded, bufferRequestBody, bufferResponse, bufferStream, shouldStreamResponse,
} from "../../src/proxy/buffer.ts";

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "buffer-test-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (s: string) => new TextEncoder().encode(s);
const streamOf = (...chunks: Uint8Array[]) => new ReadableStream<Uint8Array>({
  start(c) { for (const chunk of chunks) c.enqueue(chunk); c.close(); },
});
function patterned(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
  return bytes;
}
const spillFiles = () => readdirSync(dir).filter((f) => f.startsWith("proxy-buffer-"));

describe("BufferedBody", () => {
  test("keeps a small body in memory and returns it intact", async () => {
    const body = await bufferStream(streamOf(text("hel"), text("lo")), { maxMemoryBytes: 10, maxBytes: 0, tempDir: dir });
    expect(body.spilled).toBe(false);
    expect(body.size).toBe(5);
    expect(new TextDecoder().decode(await body.bytes())).toBe("hello");
  });

  test("spills past the memory limit to a temp file that is removed once the stream is read", async () => {
    const data = patterned(300_000);
    const body = await bufferStream(streamOf(data.subarray(0, 1000), data.subarray(1000)), { maxMemoryBytes: 4096, maxBytes: 0, tempDir: dir });
    expect(body.spilled).toBe(true);
    const path = body.spillPath!;
    expect(path.startsWith(join(dir, "proxy-buffer-"))).toBe(true);
    expect(existsSync(path)).toBe(true);
    const out = await body.bytes();
    expect(out.byteLength).toBe(data.byteLength);
    expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  test("fails only when the total exceeds the maximum, and leaves no temp file", async () => {
    const exact = await bufferStream(streamOf(text("12345678")), { maxMemoryBytes: 4, maxBytes: 8, tempDir: dir });
    expect(exact.size).toBe(8);
    await exact.dispose();
    const over = bufferStream(streamOf(text("this one"), text(" is too large")), { maxMemoryBytes: 4, maxBytes: 8, tempDir: dir });
    await expect(over).rejects.toBeInstanceOf(MaximumSizeExceeded);
    expect(spillFiles()).toEqual([]);
  });

  test("bodyInit gives the bytes while in memory, a stream once spilled", async () => {
    const small = await bufferStream(streamOf(text("ab"), text("cd")), { maxMemoryBytes: 10, maxBytes: 0, tempDir: dir });
    const init = small.bodyInit();
    expect(init).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(init as Uint8Array)).toBe("abcd");
    const big = await bufferStream(streamOf(text("abcdef")), { maxMemoryBytes: 2, maxBytes: 0, tempDir: dir });
    const stream = big.bodyInit();
    expect(stream).toBeInstanceOf(ReadableStream);
    expect(await new Response(stream as ReadableStream).text()).toBe("abcdef");
    expect(spillFiles()).toEqual([]);
  });

  test("empty and null bodies", async () => {
    expect((await bufferStream(null, { maxMemoryBytes: 4, maxBytes: 8 })).size).toBe(0);
    const empty = await bufferStream(streamOf(), { maxMemoryBytes: 0, maxBytes: 0, tempDir: dir });
    expect((await empty.bytes()).byteLength).toBe(0);
    expect(empty.spilled).toBe(false);
  });

  test("cancelling the stream disposes the spill file", async () => {
    const body = new BufferedBody({ maxMemoryBytes: 2, maxBytes: 0, tempDir: dir });
    await body.write(text("abcdef"));
    const path = body.spillPath!;
    expect(existsSync(path)).toBe(true);
    const reader = body.stream().getReader();
    await reader.read();
    await reader.cancel();
    expect(existsSync(path)).toBe(false);
  });
});

describe("shouldStreamResponse", () => {
  test("SSE (with params) and chunked bypass the buffer; others do not", () => {
    expect(shouldStreamResponse(new Headers({ "content-type": "text/event-stream; charset=utf-8" }))).toBe(true);
    expect(shouldStreamResponse(new Headers({ "transfer-encoding": "chunked" }))).toBe(true);
    expect(shouldStreamResponse(new Headers({ "content-type": "text/html", "content-length": "5" }))).toBe(false);
  });
});

describe("over real HTTP", () => {
  let server: ReturnType<typeof Bun.serve>;
  let upstream: ReturnType<typeof Bun.serve>;
  beforeAll(() => {
    server = Bun.serve({
      port: 0,
      async fetch(req) {
        const url = new URL(req.url);
        const limits = url.pathname === "/small"
          ? { maxMemoryBytes: 4, maxBytes: 8, tempDir: dir }
          : { maxMemoryBytes: 64 * 1024, maxBytes: 0, tempDir: dir };
        try {
          const body = await bufferRequestBody(req, limits);
          const spilled = body.spilled && existsSync(body.spillPath!);
          return new Response(body.stream(), { headers: { "x-spilled": String(spilled), "x-size": String(body.size) } });
        } catch (error) {
          if (error instanceof MaximumSizeExceeded) return new Response("too large", { status: 413 });
          throw error;
        }
      },
    });
    upstream = Bun.serve({
      port: 0,
      fetch(req) {
        const size = Number(new URL(req.url).searchParams.get("size") ?? "0");
        if (req.url.endsWith("/sse")) return new Response("data: hi\n\n", { headers: { "content-type": "text/event-stream" } });
        return new Response(patterned(size), { status: 201, headers: { "x-upstream": "yes" } });
      },
    });
  });
  afterAll(() => { server.stop(true); upstream.stop(true); });

  test("request body under / over the maximum: echoed / 413", async () => {
    const ok = await fetch(`http://127.0.0.1:${server.port}/small`, { method: "POST", body: "hello" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("hello");
    const tooBig = await fetch(`http://127.0.0.1:${server.port}/small`, { method: "POST", body: "this one is too large" });
    expect(tooBig.status).toBe(413);
  });

  test("a 2 MB upload spills to disk, arrives intact, and its temp file is gone afterwards", async () => {
    const data = patterned(2 * 1024 * 1024);
    const res = await fetch(`http://127.0.0.1:${server.port}/big`, { method: "POST", body: data });
    expect(res.headers.get("x-spilled")).toBe("true");
    expect(res.headers.get("x-size")).toBe(String(data.byteLength));
    const echoed = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(echoed).equals(Buffer.from(data))).toBe(true);
    await Bun.sleep(20);
    expect(spillFiles()).toEqual([]);
  });

  test("buffered response keeps status and headers, gets an exact Content-Length; overflow is too-large", async () => {
    const res = await fetch(`http://127.0.0.1:${upstream.port}/?size=200000`);
    const result = await bufferResponse(res, { maxMemoryBytes: 1000, maxBytes: 0, tempDir: dir });
    if (result.kind !== "buffered") throw new Error(`expected buffered, got ${result.kind}`);
    expect(result.body.spilled).toBe(true);
    expect(result.response.status).toBe(201);
    expect(result.response.headers.get("x-upstream")).toBe("yes");
    expect(result.response.headers.get("content-length")).toBe("200000");
    expect(Buffer.from(await result.response.arrayBuffer()).equals(Buffer.from(patterned(200000)))).toBe(true);
    expect(spillFiles()).toEqual([]);

    const big = await fetch(`http://127.0.0.1:${upstream.port}/?size=5000`);
    expect((await bufferResponse(big, { maxMemoryBytes: 10, maxBytes: 4096, tempDir: dir })).kind).toBe("too-large");
    expect(spillFiles()).toEqual([]);
  });

  test("a small response with a Content-Length is read in one piece and sent as bytes", async () => {
    const res = await fetch(`http://127.0.0.1:${upstream.port}/?size=100`);
    const result = await bufferResponse(res, { maxMemoryBytes: 1000, maxBytes: 0, tempDir: dir });
    if (result.kind !== "buffered") throw new Error(`expected buffered, got ${result.kind}`);
    expect(result.body.spilled).toBe(false);
    expect(result.response.headers.get("content-length")).toBe("100");
    expect(Buffer.from(await result.response.arrayBuffer()).equals(Buffer.from(patterned(100)))).toBe(true);
  });

  test("a declared length over the maximum fails before the body is read", async () => {
    const res = await fetch(`http://127.0.0.1:${upstream.port}/?size=100000`);
    expect((await bufferResponse(res, { maxMemoryBytes: 10, maxBytes: 50, tempDir: dir })).kind).toBe("too-large");
    const req = new Request("http://x/", { method: "POST", body: "0123456789", headers: { "content-length": "10" } });
    await expect(bufferRequestBody(req, { maxMemoryBytes: 100, maxBytes: 9, tempDir: dir })).rejects.toBeInstanceOf(MaximumSizeExceeded);
  });

  test("SSE responses stream through unbuffered", async () => {
    const res = await fetch(`http://127.0.0.1:${upstream.port}/sse`);
    const result = await bufferResponse(res, { maxMemoryBytes: 1, maxBytes: 2, tempDir: dir });
    expect(result.kind).toBe("streamed");
    if (result.kind === "streamed") expect(await result.response.text()).toBe("data: hi\n\n");
  });
});
