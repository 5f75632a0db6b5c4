// JSON log lines in the shape of kamal-proxy's slog JSON handler (kamal-proxy §2.12): `time` (RFC 3339 with
// fractional seconds, local zone), `level`, `msg`, then attributes in order. One `Request` line per request with
// kamal-proxy's field names and order, plus `req_<name>` / `resp_<name>` for the headers a service asks to log.

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";
export type LogValue = string | number | boolean | null | readonly string[] | LogValue[] | { [key: string]: LogValue };

/** `2026-11-28T12:00:00.123Z` / `2026-11-28T13:00:00.5+01:00`: Go's RFC3339Nano (trailing zeros trimmed) in the local zone. */
export function formatLogTime(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const offsetMinutes = -date.getTimezoneOffset();
  const zone = offsetMinutes === 0
    ? "Z"
    : `${offsetMinutes > 0 ? "+" : "-"}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  const fraction = pad(date.getMilliseconds(), 3).replace(/0+$/, "");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:` +
    `${pad(date.getSeconds())}${fraction ? `.${fraction}` : ""}${zone}`;
}

/** One JSON log line (with trailing newline); attributes keep their order. */
export function logLine(time: Date, level: LogLevel, msg: string, attributes: Record<string, LogValue> = {}): string {
  return `${JSON.stringify({ time: formatLogTime(time), level, msg, ...withoutReserved(attributes) })}\n`;
}

function withoutReserved(attributes: Record<string, LogValue>): Record<string, LogValue> {
  if (!("time" in attributes || "level" in attributes || "msg" in attributes)) return attributes;
  const copy: Record<string, LogValue> = {};
  for (const [key, value] of Object.entries(attributes)) copy[key === "time" || key === "level" || key === "msg" ? `attr_${key}` : key] = value;
  return copy;
}

/** Go's http.CanonicalHeaderKey: `x-custom` -> `X-Custom`. */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** Log key of a logged header: `Cache-Control` -> `req_cache_control` (prefix `req` or `resp`). */
export function headerLogKey(prefix: "req" | "resp", name: string): string {
  return `${prefix}_${canonicalHeaderName(name).toLowerCase().replace(/-/g, "_")}`;
}

/** Headers, or the fast path's view of a raw head (fast/http1.ts fieldLookup). */
export interface HeaderLookup {
  get(name: string): string | null;
  getSetCookie?(): string[];
}

export interface RequestLogEntry {
  /** Request Host header, port included. */
  host: string;
  /** The configured http-port or https-port, by scheme. */
  port: number;
  /** Original URL path (not the routed one). */
  path: string;
  requestId: string;
  status: number;
  /** Service name, "" when no service matched. */
  service: string;
  /** Target `host:port`, "" when none. */
  target: string;
  durationNs: number;
  method: string;
  /** -1 when the request body was chunked / of unknown length. */
  reqContentLength: number;
  reqContentType: string;
  /** Response body bytes written. */
  respContentLength: number;
  respContentType: string;
  clientAddr: string;
  clientPort: string;
  /** X-Forwarded-For as seen after the client-ip middleware, else clientAddr. */
  remoteAddr: string;
  userAgent: string;
  /** `HTTP/1.1`, `HTTP/2.0`, `HTTP/3.0`. */
  proto: string;
  scheme: "http" | "https";
  /** Raw query without `?`. */
  query: string;
  requestHeaders?: HeaderLookup;
  responseHeaders?: HeaderLookup;
  /** `--log-request-header` names. */
  logRequestHeaders?: readonly string[];
  /** `--log-response-header` names. */
  logResponseHeaders?: readonly string[];
}

/** Field values of a logged header: all values joined with `,`; "" when absent. */
function headerValue(headers: HeaderLookup | undefined, name: string): string {
  if (!headers) return "";
  if (name.toLowerCase() === "set-cookie" && headers.getSetCookie) return headers.getSetCookie().join(",");
  return headers.get(name) ?? "";
}

/** The attributes of a `Request` line, in kamal-proxy's order. */
export function requestLogAttributes(entry: RequestLogEntry): Record<string, LogValue> {
  const attributes: Record<string, LogValue> = {
    host: entry.host,
    port: entry.port,
    path: entry.path,
    request_id: entry.requestId,
    status: entry.status,
    service: entry.service,
    target: entry.target,
    duration: Math.round(entry.durationNs),
    method: entry.method,
    req_content_length: entry.reqContentLength,
    req_content_type: entry.reqContentType,
    resp_content_length: entry.respContentLength,
    resp_content_type: entry.respContentType,
    client_addr: entry.clientAddr,
    client_port: entry.clientPort,
    remote_addr: entry.remoteAddr,
    user_agent: entry.userAgent,
    proto: entry.proto,
    scheme: entry.scheme,
    query: entry.query,
  };
  for (const name of entry.logRequestHeaders ?? []) attributes[headerLogKey("req", name)] = headerValue(entry.requestHeaders, name);
  for (const name of entry.logResponseHeaders ?? []) attributes[headerLogKey("resp", name)] = headerValue(entry.responseHeaders, name);
  return attributes;
}

/** The access-log line kamal-proxy writes after each request: `{"time":…,"level":"INFO","msg":"Request",…}`. */
export function requestLogLine(entry: RequestLogEntry, time: Date = new Date()): string {
  return logLine(time, "INFO", "Request", requestLogAttributes(entry));
}

/** `remote_addr`: the (client-ip-adjusted) X-Forwarded-For if present, else the peer address. */
export function remoteAddress(forwardedFor: string | null, clientAddr: string): string {
  return forwardedFor && forwardedFor.length > 0 ? forwardedFor : clientAddr;
}
