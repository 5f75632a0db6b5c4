// One request on the fast path: send the head to a pooled upstream connection, relay the response (streamed,
// or collected first when the service buffers responses), then log it like the full path does. Errors before the
// response head reach the client become kamal-proxy's error pages (502, 504, 500); after that the client
// connection is closed, as Go's ReverseProxy does.
import type { InflightRequest } from "../inflight.ts";
import type { Logger } from "../logger.ts";
import type { Service } from "../service.ts";
import type { Target } from "../target.ts";
import { ChunkedScanner, field, HEAD_END, listsToken, MAX_HEAD_BYTES, parseResponseHead, type RequestHead, type ResponseHead } from "./http1.ts";
import { clientResponseHead } from "./forward.ts";
import type { Outbox } from "./outbox.ts";
import type { UpstreamConnection, UpstreamHandler, UpstreamPool } from "./upstream-pool.ts";

/** What an exchange needs from the client connection it answers. */
export interface ExchangeClient {
  readonly outbox: Outbox;
  /** Called once: the response is complete (`reusable`: the connection may carry the next request). */
  exchangeDone(reusable: boolean): void;
}

/** Result of an exchange, for the access log and metrics. */
export interface ExchangeOutcome {
  status: number;
  respContentLength: number;
  respContentType: string;
}

/** What the access log and metrics need about the request, gathered when it was routed. */
export interface ExchangeMeta {
  startedAt: number;
  host: string;
  query: string;
  requestId: string;
  clientIp: string;
  peerIp: string;
  peerPort: number;
  excludeFromMetrics: boolean;
  metricsDone: (() => void) | null;
}

export interface ExchangeDeps {
  pool: UpstreamPool;
  logger: Logger;
  finished(exchange: Exchange, outcome: ExchangeOutcome): void;
}

type BodyMode = "none" | "length" | "chunked" | "wrap" | "collect";

const EMPTY = Buffer.alloc(0);

export class Exchange implements UpstreamHandler {
  deadline: number;
  private connection: UpstreamConnection | null = null;
  private pending: Buffer = EMPTY;
  private response: ResponseHead | null = null;
  private mode: BodyMode = "none";
  private remaining = 0;
  private scanner: ChunkedScanner | null = null;
  private collected: Buffer[] = [];
  private collectedBytes = 0;
  private upstreamCloses = false;
  private retried = false;
  private connectionWasReused = false;
  private done = false;
  private readonly inflight: InflightRequest;

  constructor(
    private readonly deps: ExchangeDeps,
    private readonly client: ExchangeClient,
    readonly head: RequestHead,
    readonly service: Service,
    readonly target: Target,
    readonly path: string,
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
      this.received(data);
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

  private received(data: Buffer): void {
    if (this.response) return this.body(data);
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    for (;;) {
      const end = this.pending.indexOf(HEAD_END);
      if (end < 0) {
        if (this.pending.length > MAX_HEAD_BYTES) this.failed(502, new Error("upstream response head too large"));
        return;
      }
      const head = parseResponseHead(this.pending.toString("latin1", 0, end));
      const rest = this.pending.subarray(end + 4);
      if (!head) return this.failed(502, new Error("malformed upstream response"));
      if (head.status >= 100 && head.status < 200) {
        if (head.status === 101) return this.failed(502, new Error("unexpected protocol switch"));
        this.pending = rest; // 1xx informational heads are not passed on
        continue;
      }
      this.pending = EMPTY;
      this.responseHead(head);
      if (!this.done && rest.length > 0) this.body(rest);
      return;
    }
  }

  private responseHead(head: ResponseHead): void {
    this.response = head;
    const options = this.service.targetOptions;
    const bodiless = this.head.method === "HEAD" || head.status === 204 || head.status === 304;
    const chunked = listsToken(field(head, "transfer-encoding"), "chunked");
    const lengthText = field(head, "content-length");
    const length = lengthText === null || chunked ? -1 : Number(lengthText);
    if (Number.isNaN(length)) return this.failed(502, new Error("malformed upstream Content-Length"));
    this.upstreamCloses = listsToken(field(head, "connection"), "close") || head.statusLine.startsWith("HTTP/1.0");
    const streaming = chunked || (field(head, "content-type") ?? "").split(";")[0]!.trim().toLowerCase() === "text/event-stream";
    const buffering = options.buffer_responses && !bodiless && !streaming;
    if (buffering) {
      const max = options.max_response_body_size;
      if (max > 0 && length > max) return this.tooLarge();
      if (length < 0 || length <= options.max_memory_buffer_size) {
        this.mode = "collect";
        this.remaining = length;
        if (length === 0) this.complete();
        return;
      }
    }
    let framing: "length" | "chunked" | "none" = "length";
    if (bodiless) this.mode = "none";
    else if (chunked) {
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
    this.client.outbox.write(clientResponseHead(head, bodiless ? "none" : framing, this.closeAfter));
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
        if (this.remaining === 0) return this.complete();
        break;
      }
      case "chunked": {
        const end = this.scanner!.feed(data);
        if (this.scanner!.failed) return this.abort("malformed chunked upstream response");
        if (end >= 0) {
          if (end < data.length) this.upstreamCloses = true;
          out.write(data.subarray(0, end));
          return this.complete();
        }
        out.write(data);
        break;
      }
      case "wrap":
        out.write(`${data.length.toString(16)}\r\n`);
        out.write(data);
        out.write("\r\n");
        break;
      case "collect":
        return this.collect(data);
      case "none":
        this.upstreamCloses = true;
        return;
    }
  }

  private collect(data: Buffer): void {
    const take = this.remaining >= 0 ? Math.min(data.length, this.remaining - this.collectedBytes) : data.length;
    this.collected.push(take === data.length ? data : data.subarray(0, take));
    this.collectedBytes += take;
    const max = this.service.targetOptions.max_response_body_size;
    if (this.remaining < 0 && max > 0 && this.collectedBytes > max) return this.tooLarge();
    if (this.remaining >= 0 && this.collectedBytes >= this.remaining) this.complete();
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
    if (this.mode === "wrap") {
      this.client.outbox.write("0\r\n\r\n");
      return this.complete();
    }
    if (this.mode === "collect" && this.remaining < 0) return this.complete();
    this.abort("upstream closed the connection mid-response");
  }

  /** Checked by the listener's timer: no response head within --target-timeout -> 504. */
  checkDeadline(now: number): void {
    if (!this.done && !this.response && now >= this.deadline) this.failed(504, null);
  }

  private cancelledByDrain(): void {
    if (this.done) return;
    this.deps.logger.info("Request cancelled due to draining", { target: this.target.name, path: this.path });
    if (this.response) this.abort("target is draining");
    else this.failed(504, null);
  }

  /** The client went away: the upstream exchange stops, the request is logged as 499 when no head was sent. */
  clientGone(): void {
    if (this.done) return;
    this.dropConnection();
    this.finish(this.response ? this.response.status : 499, false);
  }

  private tooLarge(): void {
    this.deps.logger.info("Response exceeded max response limit", { path: this.path });
    this.dropConnection();
    this.errorPage(500);
  }

  private failed(status: number, error: unknown): void {
    if (this.done) return;
    this.dropConnection();
    if (error) this.deps.logger.error("Error while proxying", { target: this.target.name, path: this.path, error: error instanceof Error ? error.message : String(error) });
    this.errorPage(status);
  }

  private errorPage(status: number): void {
    const page = this.service.errorPage(status, this.head.method);
    let headers = `HTTP/1.1 ${status} ${page.statusText}\r\nContent-Type: ${page.contentType}\r\nDate: ${new Date().toUTCString()}\r\n` +
      `Content-Length: ${page.body.length}\r\n`;
    if (this.closeAfter) headers += "Connection: close\r\n";
    this.client.outbox.write(headers + "\r\n");
    if (this.head.method !== "HEAD" && page.body.length > 0) this.client.outbox.write(page.body);
    this.finish(status, true, page.contentType, 0);
  }

  private abort(reason: string): void {
    this.deps.logger.debug("Response aborted", { target: this.target.name, path: this.path, reason });
    this.dropConnection();
    this.client.outbox.destroy();
    this.finish(this.response?.status ?? 502, false);
  }

  private complete(): void {
    if (this.mode === "collect") {
      const body = Buffer.concat(this.collected, this.collectedBytes);
      this.collected = [];
      this.client.outbox.write(clientResponseHead(this.response!, body.length, this.closeAfter));
      if (body.length > 0) this.client.outbox.write(body);
    }
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      if (this.upstreamCloses || this.mode === "wrap" || (this.mode === "collect" && this.remaining < 0)) connection.destroy();
      else this.deps.pool.release(connection);
    }
    const response = this.response!;
    const length = this.mode === "collect" ? this.collectedBytes : Number(field(response, "content-length") ?? 0);
    this.finish(response.status, true, field(response, "content-type") ?? "", length);
  }

  private dropConnection(): void {
    const connection = this.connection;
    this.connection = null;
    connection?.destroy();
  }

  private finish(status: number, reusable: boolean, contentType = "", contentLength = 0): void {
    if (this.done) return;
    this.done = true;
    this.target.inflight.end(this.inflight);
    this.deps.finished(this, { status, respContentLength: contentLength, respContentType: contentType });
    this.client.exchangeDone(reusable && !this.closeAfter);
  }
}
