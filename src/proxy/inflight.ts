// In-flight request tracking for one target, so a drain can wait for requests and cancel the rest.

export class InflightRequest {
  private abortController: AbortController | null = null;
  /** Set when the drain deadline cancelled this request (the client gets 504). */
  cancelledByDrain = false;
  /** The fast path's cancel hook (it has no AbortSignal to listen to). */
  onCancel: (() => void) | null = null;
  private readonly onClientGone: (() => void) | null = null;

  constructor(private readonly clientSignal: AbortSignal | undefined) {
    if (clientSignal) {
      this.onClientGone = () => this.controller.abort();
      clientSignal.addEventListener("abort", this.onClientGone);
    }
  }

  /** Created on first use: the fast path never needs one. */
  get controller(): AbortController {
    if (!this.abortController) {
      this.abortController = new AbortController();
      if (this.cancelReason) this.abortController.abort(this.cancelReason);
    }
    return this.abortController;
  }

  private cancelReason: Error | null = null;

  cancel(reason: Error): void {
    this.cancelledByDrain = true;
    this.cancelReason = reason;
    this.abortController?.abort(reason);
    this.onCancel?.();
  }

  detach(): void {
    if (this.onClientGone) this.clientSignal?.removeEventListener("abort", this.onClientGone);
  }
}

export class InflightTracker {
  private readonly requests = new Set<InflightRequest>();
  private readonly closers = new Set<() => void>();
  private idleWaiters: Array<() => void> = [];

  get size(): number {
    return this.requests.size;
  }

  /** Starts tracking a request; the upstream call is aborted when the client goes away. */
  begin(clientSignal?: AbortSignal): InflightRequest {
    const request = new InflightRequest(clientSignal);
    this.requests.add(request);
    return request;
  }

  end(request: InflightRequest): void {
    if (!this.requests.delete(request)) return;
    request.detach();
    if (this.requests.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Hijacked connections (WebSockets) register a closer; drain closes them at once. */
  addConnection(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  get connections(): number {
    return this.closers.size;
  }

  /** Closes upgraded connections now, waits for requests until the deadline, then cancels what is left. */
  async drain(timeoutMs: number): Promise<void> {
    for (const close of [...this.closers]) close();
    this.closers.clear();
    if (this.requests.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([idle, deadline]);
      clearTimeout(timer);
    }
    for (const request of [...this.requests]) request.cancel(new Error("target is draining"));
  }
}
