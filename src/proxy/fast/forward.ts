// Heads the fast path sends on: the upstream request (the rules of forwarded-headers.ts: hop-by-hop removed,
// X-Forwarded-* rebuilt, X-Kamal-Target, X-Request-ID and X-Request-Start added when absent) and the client
// response (hop-by-hop removed, framing stated). Field lines are passed through as sent.
import type { RequestScan, ResponseScan } from "./http1.ts";

export interface ForwardContext {
  /** The path and query sent upstream (prefix stripped when the service strips it). */
  pathAndQuery: string;
  peerIp: string;
  /** --client-ip-header value, "" when none. */
  clientIp: string;
  requestId: string;
  requestStart: string;
  target: string;
  forwardHeaders: boolean;
}

export function upstreamRequestHead(scan: RequestScan, ctx: ForwardContext): string {
  let out = `${scan.method} ${ctx.pathAndQuery} HTTP/1.1\r\n${scan.passthrough}`;
  if (scan.trailers) out += "TE: trailers\r\n";
  if (ctx.forwardHeaders) {
    const incomingFor = ctx.clientIp !== "" ? ctx.clientIp : scan.forwardedFor;
    out += `X-Forwarded-For: ${incomingFor ? `${incomingFor}, ${ctx.peerIp}` : ctx.peerIp}\r\n` +
      `X-Forwarded-Host: ${scan.forwardedHost || scan.host}\r\n` +
      `X-Forwarded-Proto: ${scan.forwardedProto || "http"}\r\n` +
      `X-Kamal-Target: ${scan.kamalTarget ? `${scan.kamalTarget}, ${ctx.target}` : ctx.target}\r\n`;
  } else {
    out += `X-Forwarded-For: ${ctx.peerIp}\r\nX-Forwarded-Host: ${scan.host}\r\nX-Forwarded-Proto: http\r\nX-Kamal-Target: ${ctx.target}\r\n`;
  }
  if (scan.requestId === null) out += `X-Request-ID: ${ctx.requestId}\r\n`;
  if (scan.requestStart === null) out += `X-Request-Start: ${ctx.requestStart}\r\n`;
  return out + "\r\n";
}

/**
 * The response head for the client. `framing`: "as-is" keeps the upstream's Content-Length (or none, for bodiless
 * answers), "chunked" states chunked transfer coding, a number states that exact Content-Length.
 */
export function clientResponseHead(scan: ResponseScan, framing: "as-is" | "chunked" | number, close: boolean): string {
  let out = scan.kept;
  if (framing === "chunked") out += "\r\nTransfer-Encoding: chunked";
  else if (typeof framing === "number") out += `\r\nContent-Length: ${framing}`;
  else if (scan.length >= 0) out += `\r\nContent-Length: ${scan.length}`;
  if (close) out += "\r\nConnection: close";
  return out + "\r\n\r\n";
}
