// Everything the proxy knows about one incoming request, computed once at the edge and passed down the pipeline.
import type { Server } from "bun";

export interface RequestContext {
  readonly req: Request;
  readonly server: Server<unknown>;
  readonly tls: boolean;
  /** Host header as sent (may include a port). */
  readonly host: string;
  /** Host without the port, used for routing. */
  readonly hostname: string;
  /** Raw (percent-encoded) path. */
  readonly path: string;
  /** Raw query including the leading `?`, or "". */
  readonly query: string;
  readonly peerIp: string;
  readonly peerPort: number;
  readonly requestId: string;
  readonly requestStart: string;
  readonly startedAt: number;
  /** Path sent upstream (prefix stripped when the service strips it). */
  routedPath: string;
  matchedPrefix: string;
  service: string;
  target: string;
  /** Status written to the client (200 by default, 101 for upgrades, 499 when the client went away). */
  status: number;
  /** Value of --client-ip-header that replaced X-Forwarded-For, if any. */
  clientIp: string;
  /** Set by the service: don't count this request in metrics (--exclude-metrics-path). */
  excludeFromMetrics: boolean;
  /** The on-demand TLS probe (tls-on-demand.ts): redirects are skipped. */
  internalProbe?: boolean;
}

/** Splits `scheme://authority/path?query` into raw path and query without allocating a URL object. */
export function splitURL(url: string): { path: string; query: string } {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return { path: "/", query: "" };
  const q = url.indexOf("?", start);
  return q < 0 ? { path: url.slice(start), query: "" } : { path: url.slice(start, q), query: url.slice(q) };
}

/** `example.com:80` -> `example.com`, `[::1]:80` -> `::1`, `example.com` unchanged. */
export function stripPort(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end > 0 ? host.slice(1, end) : host;
  }
  const colon = host.indexOf(":");
  if (colon <= 0) return host;
  return host.indexOf(":", colon + 1) >= 0 ? host : host.slice(0, colon);
}

export function peerAddress(server: Server<unknown>, req: Request): { ip: string; port: number } {
  const addr = server.requestIP(req);
  if (!addr) return { ip: "", port: 0 };
  const ip = addr.address.startsWith("::ffff:") ? addr.address.slice(7) : addr.address;
  return { ip, port: addr.port };
}

export function isWebSocketUpgrade(req: Request): boolean {
  if (req.method !== "GET") return false;
  const upgrade = req.headers.get("upgrade");
  if (!upgrade || upgrade.toLowerCase() !== "websocket") return false;
  return (req.headers.get("connection") ?? "").toLowerCase().includes("upgrade");
}
