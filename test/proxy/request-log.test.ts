import { describe, expect, test } from "bun:test";
import { canonicalHeaderName, formatLogTime, headerLogKey, logLine, remoteAddress, requestLogLine, type RequestLogEntry } from "../../src/proxy/request-log.ts";

const entry: RequestLogEntry = {
  host: "app.example.com", port: 80, path: "/somepath", requestId: "0f8fad5b-d9cb-469f-a165-70867728950e", status: 201,
  service: "app-web", target: "a7535f905149:80", durationNs: 1_234_567, method: "POST", reqContentLength: 5,
  reqContentType: "text/plain", respContentLength: 8, respContentType: "application/json", clientAddr: "192.0.2.1",
  clientPort: "51234", remoteAddr: "203.0.113.9", userAgent: "curl/8", proto: "HTTP/1.1", scheme: "http", query: "q=ok",
  requestHeaders: new Headers({ "x-custom": "from-client", "cache-control": "no-cache" }),
  responseHeaders: new Headers({ "Cache-Control": "max-age=60", "X-Custom": "from-app" }),
  logRequestHeaders: ["x-custom", "Cache-Control", "Last-Modified"],
  logResponseHeaders: ["Cache-Control", "X-Custom"],
};

describe("requestLogLine", () => {
  test("has kamal-proxy's fields, values and order", () => {
    const line = requestLogLine(entry, new Date(Date.UTC(2026, 10, 28, 12, 0, 0, 250)));
    expect(line.endsWith("}\n")).toBe(true);
    const parsed = JSON.parse(line);
    expect(Object.keys(parsed)).toEqual([
      "time", "level", "msg", "host", "port", "path", "request_id", "status", "service", "target", "duration", "method",
      "req_content_length", "req_content_type", "resp_content_length", "resp_content_type", "client_addr", "client_port",
      "remote_addr", "user_agent", "proto", "scheme", "query", "req_x_custom", "req_cache_control", "req_last_modified",
      "resp_cache_control", "resp_x_custom",
    ]);
    expect(parsed).toMatchObject({
      level: "INFO", msg: "Request", host: "app.example.com", port: 80, status: 201, duration: 1234567, client_port: "51234",
      req_x_custom: "from-client", req_cache_control: "no-cache", req_last_modified: "", resp_cache_control: "max-age=60",
      resp_x_custom: "from-app", query: "q=ok", proto: "HTTP/1.1", scheme: "http", remote_addr: "203.0.113.9",
    });
    expect(Date.parse(parsed.time)).toBe(Date.UTC(2026, 10, 28, 12, 0, 0, 250));
  });

  test("without configured headers there are no req_/resp_ header fields", () => {
    const parsed = JSON.parse(requestLogLine({ ...entry, logRequestHeaders: undefined, logResponseHeaders: [] }));
    expect(Object.keys(parsed).filter((k) => k.startsWith("req_") || k.startsWith("resp_"))).toEqual([
      "req_content_length", "req_content_type", "resp_content_length", "resp_content_type",
    ]);
  });
});

describe("helpers", () => {
  test("time is RFC 3339 with trimmed fraction and a zone", () => {
    const text = formatLogTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 100)));
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.1(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(text)).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 100));
    expect(formatLogTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 0)))).toMatch(/:05(Z|[+-]\d\d:\d\d)$/);
  });

  test("header names are canonicalised, then snake-cased", () => {
    expect(canonicalHeaderName("x-custom")).toBe("X-Custom");
    expect(headerLogKey("req", "User-Agent")).toBe("req_user_agent");
    expect(headerLogKey("resp", "x-request-id")).toBe("resp_x_request_id");
  });

  test("generic lines keep attribute order and do not let attributes overwrite time/level/msg", () => {
    const parsed = JSON.parse(logLine(new Date(), "WARN", "Server started", { http: 80, https: 443, msg: "x" }));
    expect(Object.keys(parsed)).toEqual(["time", "level", "msg", "http", "https", "attr_msg"]);
    expect(parsed.msg).toBe("Server started");
  });

  test("remote_addr falls back to the client address", () => {
    expect(remoteAddress(null, "10.0.0.1")).toBe("10.0.0.1");
    expect(remoteAddress("1.2.3.4, 10.0.0.2", "10.0.0.1")).toBe("1.2.3.4, 10.0.0.2");
  });
});
