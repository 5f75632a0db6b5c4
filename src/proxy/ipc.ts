// The private control protocol between the `kamal-proxy` CLI and the running server: one JSON line request,
// one JSON line reply, over the unix socket. Errors travel as strings and are printed as `Error: <text>`.
import { existsSync, unlinkSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";

export interface RpcRequest {
  method: string;
  args: unknown;
}

export interface RpcReply {
  error?: string;
  result?: unknown;
}

export type RpcHandler = (method: string, args: unknown) => Promise<unknown>;

export class RpcError extends Error {}

function dialError(path: string, code: string | undefined, message: string): RpcError {
  if (code === "ENOENT") return new RpcError(`dial unix ${path}: connect: no such file or directory`);
  if (code === "ECONNREFUSED") return new RpcError(`dial unix ${path}: connect: connection refused`);
  if (code === "EACCES") return new RpcError(`dial unix ${path}: connect: permission denied`);
  return new RpcError(`dial unix ${path}: ${message}`);
}

/** Sends one call and waits (without a timeout, like kamal-proxy) for the reply. */
export function callServer(path: string, method: string, args: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = "";
    let connected = false;
    socket.setEncoding("utf8");
    socket.on("connect", () => {
      connected = true;
      socket.write(JSON.stringify({ method, args } satisfies RpcRequest) + "\n");
    });
    socket.on("data", (chunk: string) => {
      buffer += chunk;
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      reject(connected ? new RpcError(`unexpected EOF: ${err.message}`) : dialError(path, err.code, err.message));
    });
    socket.on("end", () => {
      try {
        const reply = JSON.parse(buffer) as RpcReply;
        if (reply.error !== undefined) reject(new RpcError(reply.error));
        else resolve(reply.result);
      } catch {
        reject(new RpcError("unexpected EOF"));
      }
    });
  });
}

/** Listens on the unix socket (removing a stale one first) and answers each call with the handler. */
export function serveRpc(path: string, handler: RpcHandler): Promise<Server> {
  if (existsSync(path)) unlinkSync(path);
  const server = createServer((socket) => {
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf("\n");
      if (nl < 0) return;
      const line = buffer.slice(0, nl);
      buffer = "";
      let request: RpcRequest;
      try {
        request = JSON.parse(line) as RpcRequest;
      } catch {
        socket.end(JSON.stringify({ error: "malformed request" }) + "\n");
        return;
      }
      handler(request.method, request.args).then(
        (result) => socket.end(JSON.stringify({ result: result ?? true }) + "\n"),
        (err: unknown) => socket.end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }) + "\n"),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

export function closeRpc(server: Server, path: string): void {
  server.close();
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
