// One request on the fast path: send the head to a pooled upstream connection, relay the response (streamed,
// or collected first when the service buffers responses), then report it for the access log and metrics. Errors
// before the response head reach the client become kamal-proxy's error pages (502, 504, 500); after that the
// client connection is closed, as Go's ReverseProxy does.
import type { InflightRequest } from "../inflight.ts";
import type { Logger } from "../logger.ts";
import type { Service } from "../service.ts";
import type { Target } from "../target.ts";
import { clientResponseHead } from "./forward.ts";
import { ChunkedScanner, HEAD_END, MAX_HEAD_BYTES, scanResponseHead, type RequestScan, type ResponseScan } from "./http1.ts";
import type { Outbox } from "./outbox.ts";
import type { UpstreamConnection, UpstreamHandler, UpstreamPool } from "./upstream-pool.ts";

/** What an exchange needs from the client connection it answers. */
export interface ExchangeClient {
  readonly outbox: Outbox;
  /** Called once: the response is complete (`reusable`: the connection may carry the next request). */
  exchangeDone(reusable: boolean): void;
}

export interface ExchangeDeps {
  pool: UpstreamPool;
  logger: Logger;
  /** The exchange is over: `status`, and the response's length and type, are set. */
  finished(exchange: Exchange): void;
}

/** What the access log and metrics need about the request, gathered when it was routed. */
export interface ExchangeMeta {
  startedAt: number;
  path: string;
  query: string;
  requestId: string;
  clientIp: string;
  peerIp: string;
  peerPort: number;
  excludeFromMetrics: boolean;
  metricsDone: (() => void) | null;
}

type BodyMode = "none" | "length" | "chunked" | "wrap" | "collect";

const EMPTY = Buffer.alloc(0);

export class Exchange implements UpstreamHandler {
  readonly deadline: number;
  status = 0;
  respContentLength = 0;
  respContentType = "";
  private connection: UpstreamConnection | null = null;
  private pending: Buffer = EMPTY;
  private response: ResponseScan | null = null;
  private mode: BodyMode = "none";
  private remaining = 0;
  private scanner: ChunkedScanner | null = null;
  private collected: Buffer[] | null = null;
  private collectedBytes = 0;
  private upstreamCloses = false;
  private retried = false;
  private connectionWasReused = false;
  private done = false;
  private readonly inflight: InflightRequest;

  constructor(
    private readonly deps: ExchangeDeps,
    private readonly client: ExchangeClient,
    readonly scan: RequestScan,
    readonly service: Service,
    readonly target: Target,
    private readonly upstreamHead: string,
    private readonly closeAfter: boolean,
    readonly meta: ExchangeMeta,
  ) {
    this.deadline = Date.now() + service.targetOptions.response_timeout / 1e6;
    this.inflight = target.inflight.begin();
    this.inflight.onCancel = () => this.cancelledByDrain();
  }

  start(): void {
    const connection = this.deps.pool.take(this.target.name);
    if (connection) this.send(connection);
    else this.connect();
  }

  private connect(): void {
    this.deps.pool.connect(this.target.name).then(
      (connection) => {
        if (this.done) this.deps.pool.release(connection);
        else this.send(connection);
      },
      (error: unknown) => this.failed(502, error),
    );
  }

  private send(connection: UpstreamConnection): void {
    this.connection = connection;
    connection.handler = this;
    this.connectionWasReused = connection.uses > 0;
    connection.uses++;
    connection.outbox.write(this.upstreamHead);
  }

  onData(data: Buffer): void {
    if (this.done) return;
    const out = this.client.outbox;
    out.cork();
    try {
      if (this.response) this.body(data);
      else this.head(data);
    } finally {
      out.uncork();
    }
    if (out.blocked && this.connection && !this.done) {
      const connection = this.connection;
      connection.socket.pause();
      out.onFlushed = () => {
        out.onFlushed = null;
        connection.socket.resume();
      };
    }
  }

  private head(data: Buffer): void {
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    for (;;) {
      const end = this.pending.indexOf(HEAD_END);
      if (end < 0) {
        if (this.pending.length > MAX_HEAD_BYTES) this.failed(502, new Error("upstream response head too large"));
        return;
      }
      const scan = scanResponseHead(this.pending.toString("latin1", 0, end));
      const rest = this.pending.subarray(end + 4);
      if (!scan) return this.failed(502, new Error("malformed upstream response"));
      if (scan.status < 200) {
        if (scan.status === 101) return this.failed(502, new Error("unexpected protocol switch"));
        this.pending = rest; // 1xx informational heads are not passed on
        continue;
      }
      this.pending = EMPTY;
      this.responseHead(scan);
      if (!this.done && rest.length > 0) this.body(rest);
      return;
    }
  }

  private responseHead(scan: ResponseScan): void {
    this.response = scan;
    this.upstreamCloses = scan.close;
    const options = this.service.targetOptions;
    const bodiless = this.scan.method === "HEAD" || scan.status === 204 || scan.status === 304;
    const length = scan.length;
    const streaming = scan.chunked || scan.contentType.split(";")[0]!.trim().toLowerCase() === "text/event-stream";
    if (options.buffer_responses && !bodiless && !streaming) {
      const max = options.max_response_body_size;
      if (max > 0 && length > max) return this.tooLarge();
      if (length < 0 || length <= options.max_memory_buffer_size) {
        this.mode = "collect";
        this.collected = [];
        this.remaining = length;
        if (length === 0) this.complete();
        return;
      }
    }
    let framing: "as-is" | "chunked" = "as-is";
    if (bodiless) this.mode = "none";
    else if (scan.chunked) {
      this.mode = "chunked";
      this.scanner = new ChunkedScanner();
      framing = "chunked";
    } else if (length >= 0) {
      this.mode = "length";
      this.remaining = length;
    } else {
      this.mode = "wrap";
      framing = "chunked";
    }
    this.client.outbox.write(clientResponseHead(scan, framing, this.closeAfter));
    if (this.mode === "none" || (this.mode === "length" && length === 0)) this.complete();
  }

  private body(data: Buffer): void {
    const out = this.client.outbox;
    switch (this.mode) {
      case "length": {
        const take = Math.min(this.remaining, data.length);
        if (take < data.length) this.upstreamCloses = true; // bytes beyond the body: don't reuse the connection
        out.write(take === data.length ? data : data.subarray(0, take));
        this.remaining -= take;
        if (this.remaining === 0) this.complete();
        return;
      }
      case "chunked": {
        const end = this.scanner!.feed(data);
        if (this.scanner!.failed) return this.abort("malformed chunked upstream response");
        if (end < 0) return void out.write(data);
        if (end < data.length) this.upstreamCloses = true;
        out.write(data.subarray(0, end));
        return this.complete();
      }
      case "wrap":
        out.write(`${data.length.toString(16)}\r\n`);
        out.write(data);
        out.write("\r\n");
        return;
      case "collect": {
        const take = this.remaining >= 0 ? Math.min(data.length, this.remaining - this.collectedBytes) : data.length;
        this.collected!.push(take === data.length ? data : data.subarray(0, take));
        this.collectedBytes += take;
        const max = this.service.targetOptions.max_response_body_size;
        if (this.remaining < 0 && max > 0 && this.collectedBytes > max) return this.tooLarge();
        if (this.remaining >= 0 && this.collectedBytes >= this.remaining) this.complete();
        return;
      }
      case "none":
        this.upstreamCloses = true;
    }
  }

  /** The upstream connection closed. */
  onClose(): void {
    if (this.done) return;
    this.connection = null;
    if (!this.response) {
      // A pooled connection the upstream had closed meanwhile: try once more on a fresh one.
      if (this.connectionWasReused && !this.retried && this.pending.length === 0) {
        this.retried = true;
        return this.connect();
      }
      return this.failed(502, new Error("upstream closed the connection"));
    }
    const out = this.client.outbox;
    if (this.mode === "wrap") {
      out.cork();
      out.write("0\r\n\r\n");
      this.complete();
      out.uncork();
      return;
    }
    if (this.mode === "collect" && this.remaining < 0) {
      out.cork();
      this.complete();
      out.uncork();
      return;
    }
    this.abort("upstream closed the connection mid-response");
  }

  /** Checked by the listener's timer: no response head within --target-timeout -> 504. */
  checkDeadline(now: number): void {
    if (!this.done && !this.response && now >= this.deadline) this.failed(504, null);
  }

  private cancelledByDrain(): void {
    if (this.done) return;
    this.deps.logger.info("Request cancelled due to draining", { target: this.target.name, path: this.meta.path });
    if (this.response) this.abort("target is draining");
    else this.failed(504, null);
  }

  /** The client went away: the upstream exchange stops; logged as 499 when no head was sent. */
  clientGone(): void {
    if (this.done) return;
    this.dropConnection();
    this.finish(this.response ? this.response.status : 499, false);
  }

  private tooLarge(): void {
    this.deps.logger.info("Response exceeded max response limit", { path: this.meta.path });
    this.dropConnection();
    this.errorPage(500);
  }

  private failed(status: number, error: unknown): void {
    if (this.done) return;
    this.dropConnection();
    if (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.logger.error("Error while proxying", { target: this.target.name, path: this.meta.path, error: message });
    }
    this.errorPage(status);
  }

  private errorPage(status: number): void {
    const page = this.service.errorPage(status, this.scan.method);
    let head = `HTTP/1.1 ${status} ${page.statusText}\r\nContent-Type: ${page.contentType}\r\nDate: ${new Date().toUTCString()}\r\n` +
      `Content-Length: ${page.body.length}\r\n`;
    if (this.closeAfter) head += "Connection: close\r\n";
    this.client.outbox.write(page.body.length > 0 ? Buffer.concat([Buffer.from(head + "\r\n", "latin1"), page.body]) : head + "\r\n");
    this.respContentType = page.contentType;
    this.finish(status, true);
  }

  private abort(reason: string): void {
    this.deps.logger.debug("Response aborted", { target: this.target.name, path: this.meta.path, reason });
    this.dropConnection();
    this.client.outbox.destroy();
    this.finish(this.response?.status ?? 502, false);
  }

  private complete(): void {
    const response = this.response!;
    if (this.mode === "collect") {
      const body = this.collected!.length === 1 ? this.collected![0]! : Buffer.concat(this.collected!, this.collectedBytes);
      this.collected = null;
      const out = this.client.outbox;
      out.write(clientResponseHead(response, this.remaining < 0 ? body.length : "as-is", this.closeAfter));
      if (body.length > 0) out.write(body);
      this.respContentLength = body.length;
    } else {
      this.respContentLength = response.length < 0 ? 0 : response.length;
    }
    this.respContentType = response.contentType;
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      if (this.upstreamCloses || this.mode === "wrap" || (this.mode === "collect" && this.remaining < 0)) connection.destroy();
      else this.deps.pool.release(connection);
    }
    this.finish(response.status, true);
  }

  private dropConnection(): void {
    const connection = this.connection;
    this.connection = null;
    connection?.destroy();
  }

  private finish(status: number, reusable: boolean): void {
    if (this.done) return;
    this.done = true;
    this.status = status;
    this.target.inflight.end(this.inflight);
    this.deps.finished(this);
    this.client.exchangeDone(reusable && !this.closeAfter);
  }
}
