// The HTTPS port. Bun.serve can't swap certificates in place, so a change of the certificate set starts a new
// listener on the same port (SO_REUSEPORT) before the old one stops accepting: no moment without a listener.
// With no certificate at all the port stays open and every handshake fails (like an unknown server name).
// While an on-demand TLS service is deployed, the port belongs to the TLS front (tls-front.ts) instead, and the
// TLS listener moves to a private loopback port behind it.
import type { Server, TLSOptions, WebSocketHandler } from "bun";
import { TlsFront, type TlsFrontConfig } from "./tls-front.ts";

export interface HttpsListenerConfig<T> {
  port: number;
  fetch: (req: Request, server: Server<T>) => Promise<Response | undefined>;
  /** The handler behind the front (it maps relayed connections to their real peers). */
  frontedFetch: (req: Request, server: Server<T>) => Promise<Response | undefined>;
  websocket: WebSocketHandler<T>;
  options: Record<string, unknown>;
  front: Omit<TlsFrontConfig, "port" | "internalPort">;
}

interface Stoppable {
  stop(force?: boolean): unknown;
}

export class HttpsListener<T> {
  private current: Stoppable | null = null;
  private signature: string | null = null;

  constructor(private readonly config: HttpsListenerConfig<T>) {}

  private front: TlsFront | null = null;
  private internalPort = 0;

  /** Serves `tls` (Bun.serve entries), behind the TLS front when `fronted`; does nothing when unchanged. */
  update(tls: Array<{ serverName?: string; cert: string; key: string }>, fronted = false): void {
    const signature = JSON.stringify([fronted, tls.map((t) => [t.serverName, t.cert])]);
    if (signature === this.signature) return;
    const previous = this.current;
    if (fronted) {
      const internal = tls.length === 0 ? null : Bun.serve<T>({
        ...this.config.options,
        hostname: "127.0.0.1",
        port: 0,
        tls: tls as TLSOptions[],
        http2: true,
        fetch: this.config.frontedFetch,
        websocket: this.config.websocket,
      });
      this.current = internal;
      this.internalPort = internal?.port ?? 0;
      if (!this.front) {
        this.front = new TlsFront({ ...this.config.front, port: this.config.port, internalPort: () => this.internalPort });
        this.front.start();
      }
    } else {
      this.current = tls.length === 0 ? this.placeholder() : Bun.serve<T>({
        ...this.config.options,
        port: this.config.port,
        reusePort: true,
        tls: tls as TLSOptions[],
        http2: true, // h2 by ALPN, HTTP/1.1 otherwise (kamal-proxy: HTTP/2 only over TLS)
        fetch: this.config.fetch,
        websocket: this.config.websocket,
      });
      this.front?.stop();
      this.front = null;
    }
    this.signature = signature;
    previous?.stop(false);
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
    const result = this.current?.stop(force);
    return result instanceof Promise ? result.then(() => undefined) : undefined;
  }
}
