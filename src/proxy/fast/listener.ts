// The HTTP port on raw sockets. Plain HTTP/1.1 requests without a body, for services with nothing between router
// and target but forwarding, are proxied here over pooled keep-alive upstream connections (fast/exchange.ts).
// Any other request hands its connection over, bytes untouched, to the full Bun.serve pipeline listening on a
// private loopback port; the peer address travels through `peers` (keyed by the hand-over connection's port).
import type { Socket, TCPSocketListener } from "bun";
import { AccessLogFormatter } from "../access-log.ts";
import type { Logger, LogSink } from "../logger.ts";
import type { ProxyMetrics } from "../metrics.ts";
import { stripPort } from "../request-context.ts";
import { remoteAddress } from "../request-log.ts";
import type { Router } from "../router.ts";
import { decodedPath, stripPrefix } from "../edge-handler.ts";
import { Exchange, type ExchangeClient, type ExchangeDeps } from "./exchange.ts";
import { upstreamRequestHead } from "./forward.ts";
import { HEAD_END, lineLookup, MAX_HEAD_BYTES, scanRequestHead, type RequestScan } from "./http1.ts";
import { Outbox } from "./outbox.ts";
import { UpstreamPool } from "./upstream-pool.ts";
import { Relay, type PeerMap, type RelayClient } from "./relay.ts";

export type { PeerMap } from "./relay.ts";

export interface FastListenerConfig {
  port: number;
  hostname: string;
  router: Router;
  logger: Logger;
  metrics: ProxyMetrics | null;
  accessLog: LogSink;
  /** The private port of the full pipeline. */
  fallbackPort: () => number;
}

const EMPTY = Buffer.alloc(0);
const DEADLINE_CHECK_MS = 100;

class ClientConnection implements ExchangeClient, RelayClient {
  readonly outbox: Outbox;
  private buffer: Buffer = EMPTY;
  exchange: Exchange | null = null;
  private relay: Relay | null = null;
  closed = false;
  readonly peerIp: string;
  /** Read once: each read of Bun's remotePort is a getpeername(2) call. */
  readonly peerPort: number;

  constructor(
    readonly socket: Socket<ClientConnection>,
    private readonly listener: FastHttpListener,
  ) {
    this.outbox = new Outbox(socket as Socket<unknown>);
    const ip = socket.remoteAddress;
    this.peerIp = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
    this.peerPort = socket.remotePort;
  }

  private paused = false;

  pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    this.paused = false;
    this.socket.resume();
  }

  get idle(): boolean {
    return this.exchange === null && this.relay === null && this.buffer.length === 0;
  }

  onData(data: Buffer): void {
    if (this.relay) return this.relay.write(data);
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    if (this.exchange) {
      if (this.buffer.length > MAX_HEAD_BYTES) this.pause(); // pipelined requests wait for this one
      return;
    }
    this.next();
  }

  private next(): void {
    while (!this.closed && !this.exchange && !this.relay && this.buffer.length > 0) {
      while (this.buffer.length >= 2 && this.buffer[0] === 13 && this.buffer[1] === 10) this.buffer = this.buffer.subarray(2);
      const end = this.buffer.indexOf(HEAD_END);
      if (end < 0) {
        if (this.buffer.length > MAX_HEAD_BYTES) this.handOver();
        return;
      }
      const scan = this.listener.stopping ? null : scanRequestHead(this.buffer.toString("latin1", 0, end));
      const exchange = scan ? this.listener.route(scan, this) : null;
      if (!exchange) return this.handOver();
      this.buffer = this.buffer.subarray(end + 4);
      this.exchange = exchange;
      exchange.start();
    }
  }

  exchangeDone(reusable: boolean): void {
    this.exchange = null;
    if (this.closed) return;
    if (!reusable || this.listener.stopping) {
      this.outbox.end();
      return;
    }
    if (this.paused) this.resume();
    this.next();
  }

  /** From here on the connection belongs to the full pipeline: bytes are relayed both ways untouched. */
  private handOver(): void {
    const initial = [this.buffer];
    this.buffer = EMPTY;
    const { config, peers } = this.listener;
    this.relay = new Relay(this, config.fallbackPort(), initial, peers, { ip: this.peerIp, port: this.peerPort }, (error) => {
      config.logger.error("Unable to reach the request pipeline", { error: error.message });
      this.outbox.destroy();
    });
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.outbox.closed = true;
    this.exchange?.clientGone();
    this.relay?.close();
    this.listener.connections.delete(this);
  }
}

export class FastHttpListener {
  readonly peers: PeerMap = new Map();
  readonly connections = new Set<ClientConnection>();
  private readonly active = new Set<Exchange>();
  private readonly pool = new UpstreamPool();
  private readonly accessLogFormatter = new AccessLogFormatter();
  private readonly deps: ExchangeDeps;
  private server: TCPSocketListener<ClientConnection> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private idleWaiters: Array<() => void> = [];
  stopping = false;

  constructor(readonly config: FastListenerConfig) {
    this.deps = { pool: this.pool, logger: config.logger, finished: (exchange) => this.finished(exchange) };
  }

  start(): void {
    this.server = Bun.listen<ClientConnection>({
      hostname: this.config.hostname,
      port: this.config.port,
      socket: {
        open: (socket) => {
          socket.setNoDelay(true);
          socket.data = new ClientConnection(socket, this);
          this.connections.add(socket.data);
        },
        data: (socket, data) => socket.data.onData(data),
        drain: (socket) => socket.data.outbox.drain(),
        close: (socket) => socket.data.onClose(),
        error: (socket) => socket.data.onClose(),
      },
    });
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const exchange of this.active) exchange.checkDeadline(now);
    }, DEADLINE_CHECK_MS);
  }

  /** The exchange for a request the fast path can take, or null to hand the connection to the full pipeline. */
  route(scan: RequestScan, client: ClientConnection): Exchange | null {
    const target = scan.target;
    const q = target.indexOf("?");
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? "" : target.slice(q);
    const match = this.config.router.lookup(stripPort(scan.host), decodedPath(path));
    if (!match) return null;
    const service = match.service;
    let routedPath = path;
    let matchedPrefix = "";
    if (service.options.strip_prefix && match.prefix !== "/") {
      routedPath = stripPrefix(path, match.prefix);
      matchedPrefix = match.prefix;
    }
    const lb = service.fastPathTarget(matchedPrefix);
    const upstream = lb?.claim(scan.method === "GET" || scan.method === "HEAD", null);
    if (!upstream || upstream.state === "draining") return null;
    const ipHeader = service.options.client_ip_header;
    const clientIp = ipHeader !== "" ? lineLookup(scan.lines).get(ipHeader) ?? "" : "";
    const requestId = scan.requestId ?? crypto.randomUUID();
    const upstreamHead = upstreamRequestHead(scan, {
      pathAndQuery: routedPath + query, peerIp: client.peerIp, clientIp, requestId, requestStart: scan.requestStart ?? `t=${Date.now()}`,
      target: upstream.name, forwardHeaders: service.targetOptions.forward_headers,
    });
    const excluded = service.options.exclude_metrics_paths?.includes(routedPath) ?? false;
    const metrics = this.config.metrics;
    const exchange = new Exchange(this.deps, client, scan, service, upstream, upstreamHead, scan.connectionClose, {
      startedAt: performance.now(), path, query, requestId, clientIp, peerIp: client.peerIp, peerPort: client.peerPort,
      excludeFromMetrics: excluded, metricsDone: metrics && !excluded ? metrics.trackInFlight(service.name) : null,
    });
    this.active.add(exchange);
    return exchange;
  }

  private finished(exchange: Exchange): void {
    this.active.delete(exchange);
    const { meta, scan, service } = exchange;
    meta.metricsDone?.();
    const durationNs = (performance.now() - meta.startedAt) * 1e6;
    if (this.config.metrics && !meta.excludeFromMetrics) this.config.metrics.recordRequest(service.name, scan.method, exchange.status, durationNs / 1e9);
    const logRequestHeaders = service.targetOptions.log_request_headers;
    this.config.accessLog.write(this.accessLogFormatter.line({
      host: scan.host, port: this.config.port, path: meta.path, requestId: meta.requestId, status: exchange.status,
      service: service.name, target: exchange.target.name, durationNs, method: scan.method,
      reqContentLength: 0, reqContentType: scan.contentType,
      respContentLength: exchange.respContentLength, respContentType: exchange.respContentType,
      clientAddr: meta.peerIp, clientPort: String(meta.peerPort),
      remoteAddr: remoteAddress(meta.clientIp !== "" ? meta.clientIp : scan.forwardedFor, meta.peerIp),
      userAgent: scan.userAgent, proto: "HTTP/1.1", scheme: "http", query: meta.query.slice(1),
      requestHeaders: logRequestHeaders ? lineLookup(scan.lines) : undefined, logRequestHeaders: logRequestHeaders ?? undefined,
    }));
    if (this.active.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /**
   * Like Bun's server.stop: `force` closes every connection now; otherwise stops accepting, closes idle
   * connections, and resolves once the requests in progress have been answered (their connections then close).
   */
  async stop(force = false): Promise<void> {
    this.stopping = true;
    this.server?.stop(false);
    if (this.timer && force) clearInterval(this.timer);
    if (force) {
      for (const connection of [...this.connections]) connection.outbox.destroy();
      this.pool.closeAll();
      return;
    }
    for (const connection of this.connections) if (connection.idle) connection.outbox.end();
    if (this.active.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.timer) clearInterval(this.timer);
    this.pool.closeAll();
  }
}
