// The outermost request handler shared by the HTTP and HTTPS listeners (kamal-proxy §2.1): request start and
// id, routing (404 when nothing matches), the service pipeline, then the access-log line and metrics.
import type { Server } from "bun";
import { builtInErrorPages, errorPageResponse } from "./error-pages.ts";
import type { ProxyMetrics } from "./metrics.ts";
import { peerAddress, splitURL, stripPort, type RequestContext } from "./request-context.ts";
import { remoteAddress } from "./request-log.ts";
import { AccessLogFormatter } from "./access-log.ts";
import type { Router } from "./router.ts";
import type { LogSink } from "./logger.ts";
import type { PeerMap } from "./fast/listener.ts";

const BUILT_IN_PAGES = [builtInErrorPages()];

export interface EdgeConfig {
  router: Router;
  httpPort: number;
  httpsPort: number;
  metrics: ProxyMetrics | null;
  accessLog: LogSink;
  /** Set on the private listener behind the fast path: the real client of each handed-over connection. */
  peers?: PeerMap;
}

export function decodedPath(path: string): string {
  if (!path.includes("%")) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Removes a matched prefix from the raw path (`/app/show` -> `/show`, `/app` -> `/`). */
export function stripPrefix(path: string, prefix: string): string {
  if (!path.startsWith(prefix)) return path;
  const rest = path.slice(prefix.length);
  return rest === "" ? "/" : rest;
}

export function createEdgeHandler(config: EdgeConfig, tls: boolean) {
  const { router, metrics } = config;
  const accessLog = new AccessLogFormatter();
  return async function handle(req: Request, server: Server<unknown>): Promise<Response | undefined> {
    const startedAt = performance.now();
    const headers = req.headers;
    const host = headers.get("host") ?? "";
    const { path, query } = splitURL(req.url);
    const hostname = stripPort(host);
    let peer = peerAddress(server, req);
    if (config.peers) peer = config.peers.get(peer.port) ?? peer;
    const ctx: RequestContext = {
      req, server, tls, host, hostname, path, query,
      peerIp: peer.ip, peerPort: peer.port,
      requestId: headers.get("x-request-id") ?? crypto.randomUUID(),
      requestStart: headers.get("x-request-start") ?? `t=${Date.now()}`,
      startedAt, routedPath: path, matchedPrefix: "", service: "", target: "", status: 200, clientIp: "",
      excludeFromMetrics: false,
    };
    const match = router.lookup(hostname, decodedPath(path));
    let response: Response | undefined;
    let logRequestHeaders: string[] | null = null;
    let logResponseHeaders: string[] | null = null;
    if (!match) {
      ctx.status = 404;
      response = errorPageResponse(404, {}, BUILT_IN_PAGES, req.method);
    } else {
      const service = match.service;
      ctx.service = service.name;
      if (service.options.strip_prefix && match.prefix !== "/") {
        ctx.routedPath = stripPrefix(path, match.prefix);
        ctx.matchedPrefix = match.prefix;
      }
      logRequestHeaders = service.targetOptions.log_request_headers;
      logResponseHeaders = service.targetOptions.log_response_headers;
      const excluded = service.options.exclude_metrics_paths?.includes(ctx.routedPath) ?? false;
      ctx.excludeFromMetrics = excluded;
      const done = metrics && !excluded ? metrics.trackInFlight(service.name) : null;
      try {
        response = await service.handle(ctx);
      } finally {
        done?.();
      }
    }
    const durationNs = (performance.now() - startedAt) * 1e6;
    if (metrics && !ctx.excludeFromMetrics) metrics.recordRequest(ctx.service, req.method, ctx.status, durationNs / 1e9);
    const respLength = response?.headers.get("content-length");
    const forwardedFor = ctx.clientIp !== "" ? ctx.clientIp : headers.get("x-forwarded-for");
    config.accessLog.write(accessLog.line({
      host, port: tls ? config.httpsPort : config.httpPort, path, requestId: ctx.requestId, status: ctx.status,
      service: ctx.service, target: ctx.target, durationNs, method: req.method,
      reqContentLength: Number(headers.get("content-length") ?? (req.body ? -1 : 0)),
      reqContentType: headers.get("content-type") ?? "",
      respContentLength: respLength ? Number(respLength) : 0,
      respContentType: response?.headers.get("content-type") ?? "",
      clientAddr: peer.ip, clientPort: String(peer.port), remoteAddr: remoteAddress(forwardedFor, peer.ip),
      userAgent: headers.get("user-agent") ?? "", proto: "HTTP/1.1", scheme: tls ? "https" : "http",
      query: query.slice(1), requestHeaders: headers, responseHeaders: response?.headers,
      logRequestHeaders: logRequestHeaders ?? undefined, logResponseHeaders: logResponseHeaders ?? undefined,
    }));
    return response;
  };
}
