// The HTTPS port while an on-demand TLS service is deployed. Bun.serve picks certificates from a fixed list, with
// no hook during the handshake, so this front reads the TLS ClientHello itself, lets `prepare(serverName)`
// obtain a certificate first when one is needed (the handshake waits, as with Go's autocert), and then relays
// the connection, bytes untouched, to the TLS listener on a private loopback port.
import type { Socket, TCPSocketListener } from "bun";
import { Outbox } from "./fast/outbox.ts";
import { Relay, type PeerMap, type RelayClient } from "./fast/relay.ts";
import type { Logger } from "./logger.ts";

/** The ClientHello's first record is complete after this many bytes are buffered at most. */
const MAX_RECORD = 5 + 16 * 1024 + 2048;

/**
 * The server name (SNI) of a TLS ClientHello, "" when it has none, or null while the first record is incomplete.
 * Anything that isn't a readable ClientHello gives "" (the TLS listener then fails the handshake itself).
 */
export function clientHelloServerName(data: Buffer): string | null {
  if (data.length < 5) return null;
  if (data[0] !== 22) return "";
  const recordEnd = 5 + data.readUInt16BE(3);
  if (data.length < recordEnd) return data.length > MAX_RECORD ? "" : null;
  let i = 5;
  if (data[i] !== 1) return "";
  i += 4 + 2 + 32; // handshake type + length, client_version, random
  if (i >= recordEnd) return "";
  i += 1 + data[i]!; // session id
  if (i + 2 > recordEnd) return "";
  i += 2 + data.readUInt16BE(i); // cipher suites
  if (i >= recordEnd) return "";
  i += 1 + data[i]!; // compression methods
  if (i + 2 > recordEnd) return "";
  const extensionsEnd = Math.min(recordEnd, i + 2 + data.readUInt16BE(i));
  i += 2;
  while (i + 4 <= extensionsEnd) {
    const type = data.readUInt16BE(i);
    const length = data.readUInt16BE(i + 2);
    i += 4;
    if (type === 0 && i + 2 <= extensionsEnd) {
      let j = i + 2;
      const listEnd = Math.min(extensionsEnd, j + data.readUInt16BE(i));
      while (j + 3 <= listEnd) {
        const nameType = data[j]!;
        const nameLength = data.readUInt16BE(j + 1);
        if (nameType === 0 && j + 3 + nameLength <= listEnd) return data.toString("latin1", j + 3, j + 3 + nameLength).toLowerCase();
        j += 3 + nameLength;
      }
      return "";
    }
    i += length;
  }
  return "";
}

export interface TlsFrontConfig {
  port: number;
  peers: PeerMap;
  logger: Logger;
  /** The private TLS listener's port (0: none yet). */
  internalPort: () => number;
  /** Resolves when the connection may go on to the TLS listener; rejects to refuse it. */
  prepare: (serverName: string) => Promise<void>;
}

class FrontConnection implements RelayClient {
  readonly outbox: Outbox;
  private buffered: Buffer[] = [];
  private size = 0;
  private relay: Relay | null = null;
  private deciding = false;
  closed = false;

  constructor(
    private readonly socket: Socket<FrontConnection>,
    private readonly config: TlsFrontConfig,
  ) {
    this.outbox = new Outbox(socket as Socket<unknown>);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  onData(data: Buffer): void {
    if (this.relay) return this.relay.write(data);
    this.buffered.push(data);
    this.size += data.length;
    if (this.deciding) return;
    const name = clientHelloServerName(this.buffered.length === 1 ? data : Buffer.concat(this.buffered, this.size));
    if (name === null) return;
    this.deciding = true;
    this.socket.pause();
    this.config.prepare(name).then(
      () => this.connect(),
      (error: unknown) => {
        this.config.logger.debug("TLS handshake refused", { server_name: name, error: (error as Error).message });
        this.outbox.destroy();
      },
    );
  }

  private connect(): void {
    if (this.closed) return;
    const port = this.config.internalPort();
    if (port === 0) return this.outbox.destroy();
    const ip = this.socket.remoteAddress;
    const peer = { ip: ip.startsWith("::ffff:") ? ip.slice(7) : ip, port: this.socket.remotePort };
    this.relay = new Relay(this, port, this.buffered, this.config.peers, peer, () => this.outbox.destroy());
    this.buffered = [];
    this.socket.resume();
  }

  onClose(): void {
    this.closed = true;
    this.outbox.closed = true;
    this.relay?.close();
  }
}

export class TlsFront {
  private listener: TCPSocketListener<FrontConnection> | null = null;

  constructor(private readonly config: TlsFrontConfig) {}

  start(): void {
    this.listener = Bun.listen<FrontConnection>({
      hostname: "::",
      port: this.config.port,
      reusePort: true,
      socket: {
        open: (socket: Socket<FrontConnection>) => {
          socket.data = new FrontConnection(socket, this.config);
        },
        data: (socket: Socket<FrontConnection>, data: Buffer) => socket.data.onData(data),
        drain: (socket: Socket<FrontConnection>) => socket.data.outbox.drain(),
        close: (socket: Socket<FrontConnection>) => socket.data.onClose(),
        error: (socket: Socket<FrontConnection>) => socket.data.onClose(),
      },
    } as unknown as Parameters<typeof Bun.listen<FrontConnection>>[0]) as unknown as TCPSocketListener<FrontConnection>;
  }

  /** Stops accepting; relayed connections end when the TLS listener behind closes them. */
  stop(): void {
    this.listener?.stop(false);
    this.listener = null;
  }
}
