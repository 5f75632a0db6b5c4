// One upstream `host:port` (kamal-proxy §2.5, §2.8): health state, proxying with in-flight tracking, drain.
import { bufferRequestBody, bufferResponse, MaximumSizeExceeded, shouldStreamResponse, type BufferedBody } from "./buffer.ts";
import { removeResponseHopByHop, upstreamRequestHeaders } from "./forwarded-headers.ts";
import { InflightTracker, type InflightRequest } from "./inflight.ts";
import type { Logger } from "./logger.ts";
import type { TargetOptions } from "./options.ts";
import type { RequestContext } from "./request-context.ts";

export type TargetState = "adding" | "healthy" | "unhealthy" | "draining";

const TARGET_PATTERN = /^(\w[-_.\w+]+)(:\d+)?$/;
/** Bodies up to this size arrive with the headers: the upstream response is passed on as is (cheapest in Bun). */
const TINY_BODY = 16 * 1024;
/** Bodies up to this size (by Content-Length) are read whole before answering, so the drain sees them finish. */
const SMALL_BODY = 64 * 1024;

export function validateTargetName(name: string): string | null {
  return TARGET_PATTERN.test(name) ? null : `${name} :invalid host pattern`;
}

/** Proxy outcome when no upstream response can be passed on: the status of the error page to show. */
export type ProxyFailure = number;

export class Target {
  state: TargetState = "adding";
  readonly inflight = new InflightTracker();
  private readonly baseURL: string;

  constructor(
    readonly name: string,
    private readonly logger: Logger,
  ) {
    this.baseURL = "http://" + name;
  }

  get healthy(): boolean {
    return this.state === "healthy";
  }

  get websocketBaseURL(): string {
    return "ws://" + this.name;
  }

  async proxy(ctx: RequestContext, options: TargetOptions): Promise<Response | ProxyFailure> {
    if (this.state === "draining") return 503;
    // Not wired to req.signal: listening to it costs ~20% throughput in Bun. A client that goes away cancels
    // the response stream (and so the upstream body); an upstream still computing its headers runs on, and
    // the request is logged as 499 when its headers arrive.
    const request = this.inflight.begin();
    const { req } = ctx;
    let body: ReadableStream<Uint8Array> | null = req.body;
    let buffered: BufferedBody | null = null;
    if (options.buffer_requests && body) {
      try {
        buffered = await bufferRequestBody(req, {
          maxMemoryBytes: options.max_memory_buffer_size,
          maxBytes: options.max_request_body_size,
        });
        body = buffered.stream();
      } catch (error) {
        this.inflight.end(request);
        if (error instanceof MaximumSizeExceeded) return 413;
        if (req.signal.aborted) return 499;
        return isMalformedChunked(error) ? 400 : 500;
      }
    }
    const headers = upstreamRequestHeaders(ctx, options.forward_headers, this.name);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      request.controller.abort();
    }, options.response_timeout / 1e6);
    let res: Response;
    try {
      res = await fetch(this.baseURL + ctx.routedPath + ctx.query, {
        method: req.method,
        headers,
        body,
        redirect: "manual",
        decompress: false,
        signal: request.controller.signal,
      } as RequestInit);
    } catch (error) {
      void buffered?.dispose(); // the spill file, if the upstream never read the body
      return this.failed(ctx, request, error, timedOut);
    } finally {
      clearTimeout(timer);
    }
    if (req.signal.aborted) {
      // The client went away while the upstream worked (checking after the fact is free; listening is not).
      this.finish(ctx, request);
      void res.body?.cancel().catch(() => undefined);
      return 499;
    }
    removeResponseHopByHop(res.headers);
    if (options.buffer_responses) return this.buffered(ctx, request, res, options);
    return this.streamed(ctx, request, res);
  }

  private failed(ctx: RequestContext, request: InflightRequest, error: unknown, timedOut: boolean): ProxyFailure {
    this.finish(ctx, request);
    if (request.cancelledByDrain) {
      this.logger.info("Request cancelled due to draining", { target: this.name, path: ctx.path });
      return 504;
    }
    if (timedOut) return 504;
    if (isMalformedChunked(error)) {
      this.logger.info("Malformed request", { path: ctx.path, error: errorText(error) });
      return 400;
    }
    if (ctx.req.signal.aborted) {
      this.logger.debug("Client went away", { path: ctx.path, error: errorText(error) });
      return 499;
    }
    this.logger.error("Error while proxying", { target: this.name, path: ctx.path, error: errorText(error) });
    return 502;
  }

  private finish(ctx: RequestContext, request: InflightRequest): void {
    this.inflight.end(request);
  }

  private async buffered(ctx: RequestContext, request: InflightRequest, res: Response, options: TargetOptions): Promise<Response | ProxyFailure> {
    const length = res.headers.get("content-length");
    const bodiless = ctx.req.method === "HEAD" || res.status === 204 || res.status === 304;
    if (length !== null && !bodiless && !shouldStreamResponse(res.headers)) {
      // Known length: the common case is answered from memory without a JS stream (same outcome as buffer.ts).
      const size = Number(length);
      const max = options.max_response_body_size;
      if (max > 0 && size > max) {
        this.logger.info("Response exceeded max response limit", { path: ctx.path });
        this.finish(ctx, request);
        void res.body?.cancel().catch(() => undefined);
        return 500;
      }
      if (size <= TINY_BODY) {
        this.finish(ctx, request);
        return res;
      }
      if (size <= options.max_memory_buffer_size) return this.readWhole(ctx, request, res);
    }
    try {
      const result = await bufferResponse(res, {
        maxMemoryBytes: options.max_memory_buffer_size,
        maxBytes: options.max_response_body_size,
      });
      if (result.kind === "too-large") {
        this.logger.info("Response exceeded max response limit", { path: ctx.path });
        this.finish(ctx, request);
        return 500;
      }
      if (result.kind === "streamed") return this.streamed(ctx, request, result.response);
      this.finish(ctx, request);
      return result.response;
    } catch (error) {
      return this.failed(ctx, request, error, false);
    }
  }

  /** Reads a body of known, modest size whole, so the request counts as finished only when all of it arrived. */
  private async readWhole(ctx: RequestContext, request: InflightRequest, res: Response): Promise<Response | ProxyFailure> {
    try {
      const bytes = await res.arrayBuffer();
      this.finish(ctx, request);
      return new Response(bytes, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (error) {
      return this.failed(ctx, request, error, false);
    }
  }

  private async streamed(ctx: RequestContext, request: InflightRequest, res: Response): Promise<Response | ProxyFailure> {
    const length = res.headers.get("content-length");
    const size = length === null ? -1 : Number(length);
    if (size >= 0 && size <= TINY_BODY) {
      this.finish(ctx, request);
      return res;
    }
    if (size >= 0 && size <= SMALL_BODY) return this.readWhole(ctx, request, res);
    const upstreamBody = res.body;
    if (!upstreamBody) {
      this.finish(ctx, request);
      return res;
    }
    const reader = upstreamBody.getReader();
    const done = () => this.finish(ctx, request);
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const chunk = await reader.read();
          if (chunk.done) {
            done();
            controller.close();
          } else controller.enqueue(chunk.value);
        } catch (error) {
          done();
          controller.error(error);
        }
      },
      cancel(reason) {
        done();
        return reader.cancel(reason);
      },
    });
    return new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
  }

  drain(timeoutMs: number): Promise<void> {
    const previous = this.state;
    this.state = "draining";
    return this.inflight.drain(timeoutMs).finally(() => {
      this.state = previous;
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isMalformedChunked(error: unknown): boolean {
  const text = errorText(error).toLowerCase();
  return text.includes("chunk") && (text.includes("invalid") || text.includes("malformed"));
}
