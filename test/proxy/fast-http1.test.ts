// Head scanning and chunked framing of the fast path (src/proxy/fast/http1.ts).
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ChunkedScanner, lineLookup, scanRequestHead, scanResponseHead } from "../../src/proxy/fast/http1.ts";
import { clientResponseHead, upstreamRequestHead } from "../../src/proxy/fast/forward.ts";

describe("scanRequestHead", () => {
  test("a plain GET: forwarding fields split out, the rest passed through as sent", () => {
    const scan = scanRequestHead(
      "GET /a?b=1 HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 1.2.3.4\r\nX-Forwarded-For: 5.6.7.8\r\nConnection: keep-alive\r\n" +
        "Keep-Alive: timeout=5\r\nTE: trailers, deflate\r\nuser-agent: curl\r\nX-Request-ID: abc\r\nCookie: a=1",
    )!;
    expect(scan).toMatchObject({ method: "GET", target: "/a?b=1", host: "app.test", forwardedFor: "1.2.3.4, 5.6.7.8", trailers: true, requestId: "abc", userAgent: "curl", connectionClose: false });
    expect(scan.passthrough).toBe("Host: app.test\r\nuser-agent: curl\r\nX-Request-ID: abc\r\nCookie: a=1\r\n");
    const head = upstreamRequestHead(scan, { pathAndQuery: "/a?b=1", peerIp: "10.0.0.1", clientIp: "", requestId: "abc", requestStart: "t=1", target: "web:80", forwardHeaders: true });
    expect(head).toBe("GET /a?b=1 HTTP/1.1\r\nHost: app.test\r\nuser-agent: curl\r\nX-Request-ID: abc\r\nCookie: a=1\r\nTE: trailers\r\n" +
      "X-Forwarded-For: 1.2.3.4, 5.6.7.8, 10.0.0.1\r\nX-Forwarded-Host: app.test\r\nX-Forwarded-Proto: http\r\nX-Kamal-Target: web:80\r\nX-Request-Start: t=1\r\n\r\n");
    expect(lineLookup(scan.lines).get("x-forwarded-for")).toBe("1.2.3.4, 5.6.7.8");
  });

  test("without --forward-headers the client's X-Forwarded-* are replaced", () => {
    const scan = scanRequestHead("GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil")!;
    const head = upstreamRequestHead(scan, { pathAndQuery: "/", peerIp: "10.0.0.1", clientIp: "", requestId: "r", requestStart: "t=1", target: "t:1", forwardHeaders: false });
    expect(head).toContain("X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Host: h\r\nX-Forwarded-Proto: http\r\nX-Kamal-Target: t:1\r\n");
    expect(head).not.toContain("evil");
    expect(head).toContain("X-Request-ID: r\r\n");
  });

  test.each([
    ["a body", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5"],
    ["chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked"],
    ["an upgrade", "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade"],
    ["Expect", "PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue"],
    ["HTTP/1.0", "GET / HTTP/1.0\r\nHost: h"],
    ["absolute form", "GET http://h/ HTTP/1.1\r\nHost: h"],
    ["no Host", "GET / HTTP/1.1\r\nAccept: */*"],
    ["two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b"],
    ["a field without colon", "GET / HTTP/1.1\r\nHost: h\r\nbroken"],
    ["a bad field name", "GET / HTTP/1.1\r\nHost: h\r\nbad name: x"],
    ["Connection naming fields", "GET / HTTP/1.1\r\nHost: h\r\nConnection: X-Secret"],
  ])("%s goes to the full pipeline", (_what, head) => {
    expect(scanRequestHead(head)).toBeNull();
  });

  test("Content-Length: 0 and Connection: close stay on the fast path", () => {
    expect(scanRequestHead("DELETE /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close")).toMatchObject({ connectionClose: true, method: "DELETE" });
  });
});

describe("scanResponseHead", () => {
  test("framing and hop-by-hop fields", () => {
    const scan = scanResponseHead("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-A: 1")!;
    expect(scan).toMatchObject({ status: 200, length: 13, chunked: false, close: false, contentType: "text/plain" });
    expect(clientResponseHead(scan, "as-is", false)).toBe("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nContent-Length: 13\r\n\r\n");
    expect(clientResponseHead(scan, 20, true)).toBe("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nContent-Length: 20\r\nConnection: close\r\n\r\n");
  });

  test("chunked wins over Content-Length; fields named by Connection are dropped; HTTP/1.0 closes", () => {
    const chunked = scanResponseHead("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close, X-Internal\r\nX-Internal: secret\r\nX-B: 2")!;
    expect(chunked).toMatchObject({ length: -1, chunked: true, close: true });
    expect(clientResponseHead(chunked, "chunked", false)).toBe("HTTP/1.1 200 OK\r\nX-B: 2\r\nTransfer-Encoding: chunked\r\n\r\n");
    expect(scanResponseHead("HTTP/1.0 200 OK\r\nContent-Length: 1")!.close).toBe(true);
    expect(scanResponseHead("HTTP/1.0 200 OK\r\nConnection: keep-alive")!.close).toBe(false);
    expect(scanResponseHead("HTTP/1.1 204")!.status).toBe(204);
  });

  test.each([["not HTTP"], ["HTTP/1.1 2000 OK"], ["HTTP/1.1 abc OK"], ["HTTP/1.1 200 OK\r\nContent-Length: x"], ["HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2"], ["HTTP/1.1 200 OK\r\nno colon"]])(
    "malformed: %p",
    (head) => expect(scanResponseHead(head)).toBeNull(),
  );
});

describe("ChunkedScanner", () => {
  const body = "4\r\nWiki\r\n5;ext=x\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: t\r\n\r\n";

  test("finds the end of the body however the bytes are split, and nothing beyond it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: body.length }), { maxLength: 6 }), fc.string({ maxLength: 5 }), (cuts, extra) => {
        const bytes = Buffer.from(body + extra, "latin1");
        const points = [...new Set(cuts.filter((c) => c < bytes.length))].sort((a, b) => a - b);
        const scanner = new ChunkedScanner();
        let offset = 0;
        let end = -1;
        for (const next of [...points, bytes.length]) {
          const found = scanner.feed(bytes.subarray(offset, next));
          if (found >= 0) {
            end = offset + found;
            break;
          }
          offset = next;
        }
        expect(scanner.failed).toBe(false);
        expect(end).toBe(body.length);
      }),
    );
  });

  test("a bad size line fails", () => {
    const scanner = new ChunkedScanner();
    scanner.feed(Buffer.from("zz\r\nhello\r\n"));
    expect(scanner.failed).toBe(true);
  });
});

describe("robustness", () => {
  const headText = fc.array(
    fc.oneof(fc.constantFrom("\r\n", ":", " ", "HTTP/1.1", "GET ", "Host", "Content-Length", "Connection", "chunked", "close", "0", "200"), fc.string({ maxLength: 6 })),
    { maxLength: 30 },
  ).map((parts) => parts.join(""));

  test("arbitrary heads never throw; what the request scan accepts is origin-form HTTP/1.1 with one Host", () => {
    fc.assert(
      fc.property(headText, (text) => {
        const request = scanRequestHead(`GET / HTTP/1.1\r\n${text}`);
        if (request) {
          expect(request.target.startsWith("/")).toBe(true);
          expect(request.passthrough.match(/^host:/gim)?.length).toBe(1);
        }
        scanRequestHead(text);
        const response = scanResponseHead(text);
        if (response) expect(response.status).toBeGreaterThanOrEqual(100);
        scanResponseHead(`HTTP/1.1 200 OK\r\n${text}`);
      }),
      { numRuns: 2000 },
    );
  });
});

