// Heads the fast path sends on: the upstream request (the same rules as forwarded-headers.ts: hop-by-hop removed,
// X-Forwarded-* rebuilt, X-Kamal-Target, X-Request-ID and X-Request-Start) and the client response (hop-by-hop
// removed). Field lines are passed through as sent; only the changed fields are rewritten.
import { joinedField, listsToken, type RequestHead, type ResponseHead } from "./http1.ts";

const REQUEST_HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "trailer", "transfer-encoding", "upgrade", "forwarded"]);
const FORWARDED = new Set(["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-kamal-target"]);
const RESPONSE_HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "trailer", "upgrade", "transfer-encoding"]);

export interface ForwardContext {
  /** The path and query sent upstream (prefix stripped when the service strips it). */
  pathAndQuery: string;
  host: string;
  peerIp: string;
  /** --client-ip-header value, "" when none. */
  clientIp: string;
  requestId: string;
  requestStart: string;
  target: string;
  forwardHeaders: boolean;
}

function connectionListed(head: RequestHead | ResponseHead): Set<string> | null {
  const connection = joinedField(head, "connection");
  if (!connection) return null;
  const names = new Set<string>();
  for (const part of connection.split(",")) {
    const name = part.trim().toLowerCase();
    if (name) names.add(name);
  }
  return names;
}

export function upstreamRequestHead(head: RequestHead, ctx: ForwardContext): string {
  const listed = connectionListed(head);
  let out = `${head.method} ${ctx.pathAndQuery} HTTP/1.1\r\n`;
  let hasRequestId = false;
  let hasRequestStart = false;
  const { names, rawNames, values } = head;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (REQUEST_HOP_BY_HOP.has(name) || FORWARDED.has(name) || listed?.has(name)) continue;
    if (name === "te") {
      if (listsToken(values[i]!, "trailers")) out += "TE: trailers\r\n";
      continue;
    }
    if (name === "x-request-id") hasRequestId = true;
    else if (name === "x-request-start") hasRequestStart = true;
    out += `${rawNames[i]}: ${values[i]}\r\n`;
  }
  if (ctx.forwardHeaders) {
    const incomingFor = ctx.clientIp !== "" ? ctx.clientIp : joinedField(head, "x-forwarded-for");
    const existingTarget = joinedField(head, "x-kamal-target");
    out += `X-Forwarded-For: ${incomingFor ? `${incomingFor}, ${ctx.peerIp}` : ctx.peerIp}\r\n` +
      `X-Forwarded-Host: ${joinedField(head, "x-forwarded-host") || ctx.host}\r\n` +
      `X-Forwarded-Proto: ${joinedField(head, "x-forwarded-proto") || "http"}\r\n` +
      `X-Kamal-Target: ${existingTarget ? `${existingTarget}, ${ctx.target}` : ctx.target}\r\n`;
  } else {
    out += `X-Forwarded-For: ${ctx.peerIp}\r\nX-Forwarded-Host: ${ctx.host}\r\nX-Forwarded-Proto: http\r\nX-Kamal-Target: ${ctx.target}\r\n`;
  }
  if (!hasRequestId) out += `X-Request-ID: ${ctx.requestId}\r\n`;
  if (!hasRequestStart) out += `X-Request-Start: ${ctx.requestStart}\r\n`;
  return out + "\r\n";
}

/**
 * The response head for the client, without the final CRLF. `framing` says how the body is sent on: as the
 * upstream framed it by length, re-chunked, or with the given exact length (buffered).
 */
export function clientResponseHead(head: ResponseHead, framing: "length" | "chunked" | "none" | number, close: boolean): string {
  const listed = connectionListed(head);
  let out = `${head.statusLine}\r\n`;
  const { names, rawNames, values } = head;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (RESPONSE_HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    if (typeof framing === "number" && name === "content-length") continue;
    out += `${rawNames[i]}: ${values[i]}\r\n`;
  }
  if (framing === "chunked") out += "Transfer-Encoding: chunked\r\n";
  else if (typeof framing === "number") out += `Content-Length: ${framing}\r\n`;
  if (close) out += "Connection: close\r\n";
  return out + "\r\n";
}
