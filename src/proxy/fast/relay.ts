// A byte relay from a raw client socket to one of our own private listeners (the Bun.serve pipeline behind the
// fast path, the TLS listener behind the on-demand TLS front), with backpressure both ways. The private
// listener sees the relay's loopback address; `peers` maps the relay's local port to the real client.
import type { Socket } from "bun";
import { Outbox } from "./outbox.ts";

export type PeerMap = Map<number, { ip: string; port: number }>;

export interface RelayClient {
  readonly outbox: Outbox;
  pause(): void;
  resume(): void;
}

export class Relay {
  private internal: Socket<unknown> | null = null;
  private internalOutbox: Outbox | null = null;
  private queued: Buffer[] | null;
  private closed = false;

  /** Connects to 127.0.0.1:`port` and sends `initial` first; `onFailure` runs when the connection can't be made. */
  constructor(
    private readonly client: RelayClient,
    port: number,
    initial: Buffer[],
    peers: PeerMap,
    peer: { ip: string; port: number },
    onFailure: (error: Error) => void,
  ) {
    this.queued = initial;
    Bun.connect<unknown>({
      hostname: "127.0.0.1",
      port,
      socket: {
        data: (socket, data) => {
          if (!client.outbox.write(data)) {
            socket.pause();
            client.outbox.onFlushed = () => socket.resume();
          }
        },
        drain: () => this.internalOutbox?.drain(),
        close: (socket) => {
          peers.delete(socket.localPort);
          client.outbox.end();
        },
        error: () => client.outbox.end(),
      },
    }).then(
      (socket) => {
        if (this.closed) return void socket.end();
        socket.setNoDelay(true);
        peers.set(socket.localPort, peer);
        this.internal = socket;
        this.internalOutbox = new Outbox(socket);
        this.internalOutbox.onFlushed = () => client.resume();
        const queued = this.queued ?? [];
        this.queued = null;
        for (const chunk of queued) this.write(chunk);
      },
      (error: unknown) => onFailure(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** Client bytes for the private listener. */
  write(data: Buffer): void {
    if (!this.internalOutbox) {
      this.queued?.push(data);
      return;
    }
    if (data.length > 0 && !this.internalOutbox.write(data)) this.client.pause();
  }

  /** The client closed: close our side too. */
  close(): void {
    this.closed = true;
    this.internal?.end();
  }
}
