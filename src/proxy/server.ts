// `kamal-proxy run`: the HTTP, HTTPS and metrics listeners, the control socket, state restore and graceful stop.
import type { Server } from "bun";
import type { Server as NetServer } from "node:net";
import { HttpsListener } from "./https-listener.ts";
import { FastHttpListener } from "./fast/listener.ts";
import type { PeerMap } from "./fast/relay.ts";
import { isOnDemandTLS } from "./options.ts";
import type { RequestContext } from "./request-context.ts";
import type { Service } from "./service.ts";
import { OnDemandChecker } from "./tls-on-demand.ts";
import type { DeployArgs, PauseArgs, RolloutDeployArgs, RolloutSetArgs, ServiceArgs, StopArgs } from "./commands.ts";
import { createEdgeHandler, type EdgeConfig } from "./edge-handler.ts";
import { closeRpc, serveRpc } from "./ipc.ts";
import { BatchingSink, Logger, type LogSink } from "./logger.ts";
import { metricsResponse, ProxyMetrics } from "./metrics.ts";
import { Router } from "./router.ts";
import { AcmeManager, usesAcme } from "./acme-manager.ts";
import { TlsCertificates } from "./tls.ts";
import { webSocketBridgeHandlers, type WebSocketBridge } from "./websocket-bridge.ts";

export interface ProxyServerConfig {
  httpPort: number;
  httpsPort: number;
  metricsPort: number;
  debug: boolean;
  socketPath: string;
  statePath: string;
  sink?: LogSink;
  /** Opt-in (KAMAL_PROXY_FAST_PATH=true): plain requests on the HTTP port take the raw-socket fast path (fast/listener.ts). */
  fastPath?: boolean;
  /** `--http3`: QUIC on the HTTPS port too. */
  http3?: boolean;
}

const SHUTDOWN_TIMEOUT_MS = 10_000;

export class ProxyServer {
  readonly logger: Logger;
  readonly router: Router;
  private readonly acme: AcmeManager;
  private readonly metrics: ProxyMetrics | null;
  private readonly edge: EdgeConfig;
  private http: Server<WebSocketBridge> | null = null;
  private fast: FastHttpListener | null = null;
  private readonly https: HttpsListener<WebSocketBridge>;
  private metricsServer: Server<unknown> | null = null;
  private rpc: NetServer | null = null;
  private batchingSink: BatchingSink | null = null;
  private readonly onDemandChecker: OnDemandChecker;

  constructor(private readonly config: ProxyServerConfig) {
    const sink = config.sink ?? (this.batchingSink = new BatchingSink());
    this.logger = new Logger(config.debug ? "DEBUG" : "INFO", sink);
    this.acme = new AcmeManager(this.logger);
    this.onDemandChecker = new OnDemandChecker(this.logger);
    this.router = new Router(config.statePath, this.logger, this.acme);
    this.metrics = config.metricsPort > 0 ? new ProxyMetrics() : null;
    this.edge = { router: this.router, httpPort: config.httpPort, httpsPort: config.httpsPort, metrics: this.metrics, accessLog: sink };
    const tlsPeers: PeerMap = new Map();
    this.https = new HttpsListener<WebSocketBridge>({
      port: config.httpsPort,
      fetch: createEdgeHandler(this.edge, true),
      frontedFetch: createEdgeHandler({ ...this.edge, peers: tlsPeers }, true),
      websocket: webSocketBridgeHandlers,
      options: this.listenerOptions(),
      front: { peers: tlsPeers, logger: this.logger, prepare: (serverName) => this.prepareTLS(serverName) },
      http3: config.http3 === true,
    });
  }

  async start(): Promise<void> {
    await this.router.restoreLastSavedState();
    if (this.metrics) {
      const metrics = this.metrics;
      this.metricsServer = Bun.serve({ port: this.config.metricsPort, fetch: () => metricsResponse(metrics) });
      this.logger.info("Metrics enabled", { address: `:${this.config.metricsPort}` });
    }
    if (this.config.fastPath !== true) {
      this.http = Bun.serve<WebSocketBridge>({
        ...this.listenerOptions(),
        port: this.config.httpPort,
        fetch: createEdgeHandler(this.edge, false),
        websocket: webSocketBridgeHandlers,
      });
    } else {
      // The full pipeline listens privately; the fast listener owns the HTTP port and hands it what it can't take.
      const fast = new FastHttpListener({
        port: this.config.httpPort, hostname: "0.0.0.0", router: this.router, logger: this.logger, metrics: this.metrics,
        accessLog: this.edge.accessLog, fallbackPort: () => this.http?.port ?? 0,
      });
      this.http = Bun.serve<WebSocketBridge>({
        ...this.listenerOptions(),
        hostname: "127.0.0.1",
        port: 0,
        fetch: createEdgeHandler({ ...this.edge, peers: fast.peers }, false),
        websocket: webSocketBridgeHandlers,
      });
      fast.start();
      this.fast = fast;
    }
    await this.replaceHttpsListener();
    this.router.onChange = () => void this.reloadTLS();
    this.acme.onCertificate = () => void this.reloadTLS();
    this.acme.startRenewals();
    this.rpc = await serveRpc(this.config.socketPath, (method, args) => this.dispatch(method, args));
    this.logger.info("Server started", { http: this.config.httpPort, https: this.config.httpsPort });
  }

  /** Like Go's http.Server: no idle timeout, no body size limit (limits are per service, with buffering).
   *  (Not `development: false`: in Bun 1.4 that also turns on SO_REUSEPORT, so a second proxy could bind the port.) */
  private listenerOptions() {
    return {
      idleTimeout: 0,
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      error: (error: Error) => {
        this.logger.error("Error while handling request", { error: error.message });
        return new Response("<h1>500 Internal Server Error</h1>", { status: 500, headers: { "content-type": "text/html; charset=utf-8" } });
      },
    };
  }

  private tlsReload: Promise<void> = Promise.resolve();

  /** The HTTPS listener serves the certificates of the TLS services; a change means a new listener. */
  private reloadTLS(): Promise<void> {
    this.tlsReload = this.tlsReload.then(() => this.replaceHttpsListener()).catch((error: unknown) => {
      this.logger.error("Unable to start the HTTPS listener", { error: (error as Error).message });
    });
    return this.tlsReload;
  }

  private async replaceHttpsListener(): Promise<void> {
    const certificates = new TlsCertificates();
    let fronted = false;
    for (const service of this.router.services.values()) {
      if (service.certificate && service.options.tls_enabled) certificates.set(service.name, service.hosts, service.certificate);
      if (isOnDemandTLS(service.options)) {
        fronted = true;
        for (const [host, pair] of this.acme.onDemandCertificates(service.name)) certificates.set(`${service.name} ${host}`, [host], pair);
      }
      if (!usesAcme(service.options)) continue;
      for (const host of service.hosts) {
        const pair = this.acme.certificateFor(host);
        if (pair) certificates.set(`${service.name} ${host}`, [host], pair);
      }
    }
    this.https.update(certificates.bunTlsOptions(), fronted);
  }


  /** Before a TLS handshake goes on (while fronted): an on-demand service's name gets its certificate first. */
  private async prepareTLS(serverName: string): Promise<void> {
    if (serverName === "") return;
    const service = this.router.rootServiceForHost(serverName);
    if (!service || !isOnDemandTLS(service.options)) return;
    const checkUrl = service.options.tls_on_demand_url;
    await this.acme.onDemand(service.name, service.options, serverName, () =>
      this.onDemandChecker.check(checkUrl, serverName, (pathAndQuery, host, signal) => this.probe(service, pathAndQuery, host, signal)));
    await this.tlsReload;
  }

  /** The on-demand policy's local probe: `GET <path>?host=<name>` with `Host: <name>` through the service itself. */
  private async probe(service: Service, pathAndQuery: string, host: string, signal: AbortSignal): Promise<Response> {
    const q = pathAndQuery.indexOf("?");
    const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
    const req = new Request(`http://${host}${pathAndQuery}`, { headers: { host }, signal });
    const ctx: RequestContext = {
      req, server: this.http as Server<unknown>, tls: false, host, hostname: host, path, query: q < 0 ? "" : pathAndQuery.slice(q),
      peerIp: "127.0.0.1", peerPort: 0, requestId: crypto.randomUUID(), requestStart: `t=${Date.now()}`, startedAt: performance.now(),
      routedPath: path, matchedPrefix: "", service: service.name, target: "", status: 200, clientIp: "", excludeFromMetrics: true,
      internalProbe: true,
    };
    return (await service.handle(ctx)) ?? new Response(null, { status: 502 });
  }

  private async dispatch(method: string, args: unknown): Promise<unknown> {
    const router = this.router;
    switch (method) {
      case "Deploy":
        return router.deploy(args as DeployArgs);
      case "Remove":
        return router.remove((args as ServiceArgs).service);
      case "Pause":
        return router.pause(args as PauseArgs);
      case "Stop":
        return router.stop(args as StopArgs);
      case "Resume":
        return router.resume((args as ServiceArgs).service);
      case "List":
        return router.list();
      case "RolloutDeploy":
        return router.rolloutDeploy(args as RolloutDeployArgs);
      case "RolloutSet":
        return router.rolloutSet(args as RolloutSetArgs);
      case "RolloutStop":
        return router.rolloutStop((args as ServiceArgs).service);
      default:
        throw new Error(`rpc: can't find method kamal-proxy.${method}`);
    }
  }

  /** Stops accepting, lets active requests finish (up to 10s), then closes everything. */
  async stop(): Promise<void> {
    if (this.rpc) closeRpc(this.rpc, this.config.socketPath);
    const servers = [this.fast, this.http, this.https, this.metricsServer].filter((s) => s !== null) as Array<{ stop(force?: boolean): unknown }>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceful = Promise.all(servers.map((s) => s.stop(false)));
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), SHUTDOWN_TIMEOUT_MS);
    });
    if ((await Promise.race([graceful, deadline])) === "deadline") {
      this.logger.warn("Closing active connections");
      await Promise.all(servers.map((s) => s.stop(true)));
    }
    clearTimeout(timer);
    this.acme.stopRenewals();
    for (const service of this.router.services.values()) {
      service.active?.stopHealthChecks();
      service.rollout?.stopHealthChecks();
    }
    this.logger.info("Server stopped");
    this.batchingSink?.flush();
  }
}
