// The HTTPS port. Bun.serve can't swap certificates in place, so a change of the certificate set starts a new
// listener on the same port (SO_REUSEPORT) before the old one stops accepting: no moment without a listener.
// With no certificate at all the port stays open and every handshake fails (like an unknown server name).
// While an on-demand TLS service is deployed, the port belongs to the TLS front (tls-front.ts) instead, and the
// TLS listener moves to a private loopback port behind it. With --http3, QUIC is served on the same port (UDP):
// by the listener itself, or, behind the front, by a UDP-only listener, with Alt-Svc added to the TCP answers.
import type { Server, TLSOptions, WebSocketHandler } from "bun";
import { TlsFront, type TlsFrontConfig } from "./tls-front.ts";

type Fetch<T> = (req: Request, server: Server<T>) => Promise<Response | undefined>;

export interface HttpsListenerConfig<T> {
  port: number;
  fetch: Fetch<T>;
  /** The handler behind the front (it maps relayed connections to their real peers). */
  frontedFetch: Fetch<T>;
  websocket: WebSocketHandler<T>;
  options: Record<string, unknown>;
  front: Omit<TlsFrontConfig, "port" | "internalPort">;
  /** `kamal-proxy run --http3`. */
  http3?: boolean;
}

interface Stoppable {
  stop(force?: boolean): unknown;
}

type TlsEntries = Array<{ serverName?: string; cert: string; key: string }>;

export class HttpsListener<T> {
  private current: Stoppable | null = null;
  private quic: Stoppable | null = null;
  private signature: string | null = null;
  private front: TlsFront | null = null;
  private internalPort = 0;

  constructor(private readonly config: HttpsListenerConfig<T>) {}

  /** Serves `tls` (Bun.serve entries), behind the TLS front when `fronted`; does nothing when unchanged. */
  update(tls: TlsEntries, fronted = false): void {
    const signature = JSON.stringify([fronted, tls.map((t) => [t.serverName, t.cert])]);
    if (signature === this.signature) return;
    const previous = [this.current, this.quic];
    const http3 = this.config.http3 === true && tls.length > 0;
    if (fronted) {
      const internal = tls.length === 0 ? null : this.serve(tls, { hostname: "127.0.0.1", port: 0, fetch: this.frontedFetch() });
      this.current = internal;
      this.internalPort = internal?.port ?? 0;
      // UDP only (http1 and http2 off): a TCP listener here would share the front's port and take its connections.
      const quic = { port: this.config.port, reusePort: true, http1: false, http2: false, http3: true, fetch: this.config.fetch };
      this.quic = http3 ? this.serve(tls, quic) : null;
      if (!this.front) {
        this.front = new TlsFront({ ...this.config.front, port: this.config.port, internalPort: () => this.internalPort });
        this.front.start();
      }
    } else {
      // Bun adds `Alt-Svc: h3=":<port>"; ma=86400` to the TCP answers of a listener that also serves HTTP/3.
      this.current = tls.length === 0 ? this.placeholder() : this.serve(tls, { port: this.config.port, reusePort: true, http3, fetch: this.config.fetch });
      this.quic = null;
      this.front?.stop();
      this.front = null;
    }
    this.signature = signature;
    for (const listener of previous) listener?.stop(false);
  }

  private serve(tls: TlsEntries, options: Record<string, unknown>): Server<T> {
    return Bun.serve<T>({
      ...this.config.options,
      tls: tls as TLSOptions[],
      http2: true, // h2 by ALPN, HTTP/1.1 otherwise (kamal-proxy: HTTP/2 only over TLS)
      websocket: this.config.websocket,
      ...options,
    } as Parameters<typeof Bun.serve<T>>[0]);
  }

  /** Behind the front the TCP listener does not serve QUIC itself, so it advertises the public port's HTTP/3. */
  private frontedFetch(): Fetch<T> {
    const { frontedFetch, http3, port } = this.config;
    if (!http3) return frontedFetch;
    return async (req, server) => {
      const response = await frontedFetch(req, server);
      response?.headers.set("alt-svc", `h3=":${port}"; ma=2592000`);
      return response;
    };
  }

  private placeholder(): Stoppable {
    return Bun.listen({
      hostname: "::",
      port: this.config.port,
      reusePort: true,
      socket: { open: (socket: { end(): unknown }) => void socket.end(), data: () => undefined },
    } as unknown as Parameters<typeof Bun.listen>[0]);
  }

  stop(force = false): Promise<void> | void {
    this.front?.stop();
    this.front = null;
    this.quic?.stop(force);
    const result = this.current?.stop(force);
    return result instanceof Promise ? result.then(() => undefined) : undefined;
  }
}
