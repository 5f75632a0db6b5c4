// SSH remote port forwarding (`ssh -R <bind>:<port>:<target host>:<target port>`) over an existing ssh2 connection:
// the host listens on bind:port and every connection to it is relayed to target on this machine. Used to let hosts
// pull from a local registry through the deploy's own SSH connections.
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { RemoteForward } from "../types.ts";

interface TcpConnectionInfo { destIP: string; destPort: number }
/** The little of ssh2's Client that forwarding needs. */
export interface ForwardingClient {
  forwardIn(bindAddr: string, bindPort: number, cb: (err: Error | undefined, port: number) => void): unknown;
  unforwardIn(bindAddr: string, bindPort: number, cb: (err: Error | undefined) => void): unknown;
  on(event: "tcp connection", listener: (info: TcpConnectionInfo, accept: () => Duplex, reject: () => void) => void): unknown;
  removeListener(event: "tcp connection", listener: (...args: never[]) => void): unknown;
}

export async function forwardRemote(
  client: ForwardingClient, bind: { address: string; port: number }, target: { host: string; port: number },
): Promise<RemoteForward> {
  const sockets = new Set<Socket>();
  const onConnection = (info: TcpConnectionInfo, accept: () => Duplex): void => {
    if (info.destIP !== bind.address || info.destPort !== bind.port) return; // another forward on this connection
    const channel = accept();
    const socket = connect(target.port, target.host);
    sockets.add(socket);
    const end = (): void => { sockets.delete(socket); socket.destroy(); channel.destroy(); };
    socket.on("error", end).on("close", end);
    channel.on("error", end).on("close", end);
    channel.pipe(socket).pipe(channel);
  };
  client.on("tcp connection", onConnection);
  try {
    await new Promise<void>((resolve, reject) => client.forwardIn(bind.address, bind.port, (err) => (err ? reject(err) : resolve())));
  } catch (error) {
    client.removeListener("tcp connection", onConnection);
    throw error;
  }
  let closed = false;
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      client.removeListener("tcp connection", onConnection);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => {
        try { client.unforwardIn(bind.address, bind.port, () => resolve()); } catch { resolve(); } // connection already gone
      });
    },
  };
}
