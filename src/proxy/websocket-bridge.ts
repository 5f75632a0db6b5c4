// WebSocket proxying: connect to the target first, then upgrade the client and relay messages both ways.
// Upgraded connections are registered with the target so that a drain closes them at once (kamal-proxy §2.5).
import type { ServerWebSocket, WebSocketHandler } from "bun";
import { upstreamRequestHeaders } from "./forwarded-headers.ts";
import type { TargetOptions } from "./options.ts";
import type { RequestContext } from "./request-context.ts";
import type { Target } from "./target.ts";

type Message = string | ArrayBuffer | Uint8Array;

export interface WebSocketBridge {
  readonly upstream: WebSocket;
  client: ServerWebSocket<WebSocketBridge> | null;
  pending: Message[];
  release: () => void;
  closed: boolean;
}

const CLIENT_ONLY_HEADERS = ["sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol"];

function connectUpstream(url: string, headers: Headers, protocols: string[]): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers, protocols } as unknown as string[]);
    socket.binaryType = "arraybuffer";
    socket.onopen = () => resolve(socket);
    socket.onerror = () => resolve(null);
    socket.onclose = () => resolve(null);
  });
}

function closeBridge(bridge: WebSocketBridge, code = 1000, reason = ""): void {
  if (bridge.closed) return;
  bridge.closed = true;
  bridge.release();
  try {
    bridge.upstream.close(code === 1005 || code === 1006 ? 1000 : code, reason);
  } catch {
    bridge.upstream.close();
  }
  bridge.client?.close(code === 1005 || code === 1006 ? 1000 : code, reason);
}

/** Returns undefined once the client is upgraded, or an error status (502 when the target refuses). */
export async function proxyWebSocket(ctx: RequestContext, target: Target, options: TargetOptions): Promise<undefined | number> {
  const headers = upstreamRequestHeaders(ctx, options.forward_headers, target.name);
  const protocols = (ctx.req.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  for (const name of CLIENT_ONLY_HEADERS) headers.delete(name);
  const upstream = await connectUpstream(target.websocketBaseURL + ctx.routedPath + ctx.query, headers, protocols);
  if (!upstream) return 502;
  const bridge: WebSocketBridge = { upstream, client: null, pending: [], release: () => undefined, closed: false };
  bridge.release = target.inflight.addConnection(() => closeBridge(bridge, 1001, "target is draining"));
  upstream.onmessage = (event) => {
    const data = event.data as Message;
    if (bridge.client) bridge.client.send(data);
    else bridge.pending.push(data);
  };
  upstream.onclose = (event) => closeBridge(bridge, event.code, event.reason);
  upstream.onerror = () => closeBridge(bridge, 1011);
  const responseHeaders = upstream.protocol ? { "sec-websocket-protocol": upstream.protocol } : undefined;
  if (!ctx.server.upgrade(ctx.req, { data: bridge, headers: responseHeaders })) {
    closeBridge(bridge);
    return 400;
  }
  ctx.status = 101;
  return undefined;
}

export const webSocketBridgeHandlers: WebSocketHandler<WebSocketBridge> = {
  open(ws) {
    const bridge = ws.data;
    bridge.client = ws;
    if (bridge.closed) {
      ws.close();
      return;
    }
    for (const message of bridge.pending) ws.send(message);
    bridge.pending = [];
  },
  message(ws, message) {
    const bridge = ws.data;
    if (!bridge.closed) bridge.upstream.send(message);
  },
  close(ws, code, reason) {
    closeBridge(ws.data, code, reason);
  },
  idleTimeout: 0,
};
