import { expect, test } from "bun:test";
import { AccessLogFormatter } from "../../src/proxy/access-log.ts";
import { requestLogLine, type RequestLogEntry } from "../../src/proxy/request-log.ts";

const entry: RequestLogEntry = {
  host: "app.example.com", port: 80, path: "/some\"path", requestId: "id-1", status: 201, service: "app", target: "web:80",
  durationNs: 1234567.4, method: "GET", reqContentLength: -1, reqContentType: "", respContentLength: 8, respContentType: "text/plain",
  clientAddr: "127.0.0.1", clientPort: "5000", remoteAddr: "1.2.3.4", userAgent: "agent ü", proto: "HTTP/1.1", scheme: "http", query: "q=ok",
  requestHeaders: new Headers({ "x-custom": "v", "cache-control": "no-cache" }), logRequestHeaders: ["X-Custom", "Cache-Control", "Absent"],
};

test("same bytes as requestLogLine", () => {
  const now = Date.parse("2026-11-28T12:00:00.120Z");
  const formatter = new AccessLogFormatter();
  expect(formatter.line(entry, now)).toBe(requestLogLine(entry, new Date(now)));
  expect(formatter.line({ ...entry, logRequestHeaders: undefined }, now)).toBe(requestLogLine({ ...entry, logRequestHeaders: undefined }, new Date(now)));
  const withResponse = { ...entry, responseHeaders: new Headers({ "cache-control": "x" }), logResponseHeaders: ["Cache-Control"] };
  expect(formatter.line(withResponse, now)).toBe(requestLogLine(withResponse, new Date(now)));
});
