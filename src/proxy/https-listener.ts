// The HTTPS port. Bun.serve can't swap certificates in place, so a change of the certificate set starts a new
// listener on the same port (SO_REUSEPORT) before the old one stops accepting: no moment without a listener.
// With no certificate at all the port stays open and every handshake fails (like an unknown server name).
import type { Server, TLSOptions, WebSocketHandler } from "bun";

export interface HttpsListenerConfig<T> {
  port: number;
  fetch: (req: Request, server: Server<T>) => Promise<Response | undefined>;
  websocket: WebSocketHandler<T>;
  options: Record<string, unknown>;
}

interface Stoppable {
  stop(force?: boolean): unknown;
}

export class HttpsListener<T> {
  private current: Stoppable | null = null;
  private signature: string | null = null;

  constructor(private readonly config: HttpsListenerConfig<T>) {}

  /** Serves `tls` (Bun.serve entries); does nothing when the set is unchanged. */
  update(tls: Array<{ serverName?: string; cert: string; key: string }>): void {
    const signature = JSON.stringify(tls.map((t) => [t.serverName, t.cert]));
    if (signature === this.signature) return;
    const next: Stoppable = tls.length === 0 ? this.placeholder() : Bun.serve<T>({
      ...this.config.options,
      port: this.config.port,
      reusePort: true,
      tls: tls as TLSOptions[],
      fetch: this.config.fetch,
      websocket: this.config.websocket,
    });
    const previous = this.current;
    this.current = next;
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
    const result = this.current?.stop(force);
    return result instanceof Promise ? result.then(() => undefined) : undefined;
  }
}
