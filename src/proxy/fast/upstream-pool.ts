// Keep-alive connections to upstream targets for the fast path, pooled per target `host:port`. A connection
// carries one exchange at a time; its socket events go to whoever holds it.
import type { Socket } from "bun";
import { Outbox } from "./outbox.ts";

export interface UpstreamHandler {
  onData(data: Buffer): void;
  onClose(): void;
}

const MAX_IDLE_PER_TARGET = 256;

export class UpstreamConnection {
  handler: UpstreamHandler | null = null;
  /** Requests this connection has carried (a reused one may have been closed by the upstream meanwhile). */
  uses = 0;
  closed = false;
  outbox!: Outbox;
  socket!: Socket<UpstreamConnection>;

  constructor(readonly key: string) {}

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.handler = null;
    this.socket.terminate();
  }
}

function splitHostPort(name: string): { hostname: string; port: number } {
  const colon = name.lastIndexOf(":");
  if (colon < 0 || name.endsWith("]")) return { hostname: name.replace(/^\[|\]$/g, ""), port: 80 };
  return { hostname: name.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(name.slice(colon + 1)) };
}

export class UpstreamPool {
  private readonly idle = new Map<string, UpstreamConnection[]>();

  /** An idle connection to `target`, or null (then call `connect`). */
  take(target: string): UpstreamConnection | null {
    const list = this.idle.get(target);
    while (list && list.length > 0) {
      const connection = list.pop()!;
      if (!connection.closed) return connection;
    }
    return null;
  }

  async connect(target: string): Promise<UpstreamConnection> {
    const connection = new UpstreamConnection(target);
    const { hostname, port } = splitHostPort(target);
    const socket = await Bun.connect<UpstreamConnection>({
      hostname,
      port,
      data: connection,
      socket: {
        data: (s, data) => s.data.handler?.onData(data),
        drain: (s) => s.data.outbox.drain(),
        close: (s) => this.closed(s.data),
        error: (s) => this.closed(s.data),
        end: (s) => void s.end(),
      },
    });
    socket.setNoDelay(true);
    connection.socket = socket;
    connection.outbox = new Outbox(socket as Socket<unknown>);
    return connection;
  }

  /** Returns a connection whose exchange ended cleanly. */
  release(connection: UpstreamConnection): void {
    connection.handler = null;
    if (connection.closed) return;
    let list = this.idle.get(connection.key);
    if (!list) this.idle.set(connection.key, (list = []));
    if (list.length >= MAX_IDLE_PER_TARGET) connection.destroy();
    else list.push(connection);
  }

  private closed(connection: UpstreamConnection): void {
    if (connection.closed && connection.handler === null) return this.forget(connection);
    connection.closed = true;
    if (connection.outbox !== undefined) connection.outbox.closed = true; // unset when the connect itself failed
    const handler = connection.handler;
    connection.handler = null;
    handler?.onClose();
    this.forget(connection);
  }

  private forget(connection: UpstreamConnection): void {
    const list = this.idle.get(connection.key);
    if (!list) return;
    const i = list.indexOf(connection);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.idle.delete(connection.key);
  }

  closeAll(): void {
    for (const list of this.idle.values()) for (const connection of list) connection.destroy();
    this.idle.clear();
  }
}
