// Headers of the upstream request (kamal-proxy §2.8): hop-by-hop removed, X-Forwarded-* rebuilt,
// X-Request-ID / X-Request-Start / X-Kamal-Target set.
import type { RequestContext } from "./request-context.ts";

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "trailer", "transfer-encoding", "upgrade"];

export function removeHopByHop(headers: Headers): void {
  const connection = headers.get("connection");
  if (connection) {
    for (const name of connection.split(",")) {
      const n = name.trim();
      if (n) headers.delete(n);
    }
  }
  for (const name of HOP_BY_HOP) headers.delete(name);
  const te = headers.get("te");
  if (te !== null && !te.toLowerCase().includes("trailers")) headers.delete("te");
  else if (te !== null) headers.set("te", "trailers");
}

export function upstreamRequestHeaders(ctx: RequestContext, forwardHeaders: boolean, target: string): Headers {
  const headers = new Headers(ctx.req.headers);
  removeHopByHop(headers);
  const incomingFor = ctx.clientIp !== "" ? ctx.clientIp : headers.get("x-forwarded-for");
  const incomingHost = headers.get("x-forwarded-host");
  const incomingProto = headers.get("x-forwarded-proto");
  headers.delete("forwarded");
  const proto = ctx.tls ? "https" : "http";
  if (forwardHeaders) {
    headers.set("x-forwarded-for", incomingFor ? `${incomingFor}, ${ctx.peerIp}` : ctx.peerIp);
    headers.set("x-forwarded-host", incomingHost || ctx.host);
    headers.set("x-forwarded-proto", incomingProto || proto);
    const existing = headers.get("x-kamal-target");
    headers.set("x-kamal-target", existing ? `${existing}, ${target}` : target);
  } else {
    headers.set("x-forwarded-for", ctx.peerIp);
    headers.set("x-forwarded-host", ctx.host);
    headers.set("x-forwarded-proto", proto);
    headers.set("x-kamal-target", target);
  }
  if (!headers.has("x-request-id")) headers.set("x-request-id", ctx.requestId);
  if (!headers.has("x-request-start")) headers.set("x-request-start", ctx.requestStart);
  return headers;
}

export function removeResponseHopByHop(headers: Headers): void {
  headers.delete("connection");
  headers.delete("keep-alive");
  headers.delete("transfer-encoding");
  headers.delete("proxy-connection");
  headers.delete("trailer");
  headers.delete("upgrade");
}
