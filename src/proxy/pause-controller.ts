// Pause / stop / resume of one service (kamal-proxy §2.7). Requests ask `wait()` before being proxied.

export enum PauseState {
  Running = 0,
  Paused = 1,
  Stopped = 2,
}

export type WaitResult = "proceed" | "stopped" | "timed-out";

export interface PauseControllerState {
  state: PauseState;
  stop_message: string;
  fail_after: number;
}

export class PauseController {
  state = PauseState.Running;
  stopMessage = "";
  /** Maximum time (ns) a request is held while paused. */
  failAfter = 0;
  private waiters: Array<(result: WaitResult) => void> = [];

  get running(): boolean {
    return this.state === PauseState.Running;
  }

  pause(failAfterNs: number): void {
    this.failAfter = failAfterNs;
    this.state = PauseState.Paused;
  }

  stop(message: string): void {
    this.stopMessage = message;
    this.state = PauseState.Stopped;
    this.release("stopped");
  }

  resume(): void {
    this.state = PauseState.Running;
    this.stopMessage = "";
    this.release("proceed");
  }

  /** Running: proceed at once. Stopped: "stopped". Paused: wait for resume/stop or fail after `failAfter`. */
  wait(): Promise<WaitResult> | WaitResult {
    if (this.state === PauseState.Running) return "proceed";
    if (this.state === PauseState.Stopped) return "stopped";
    return new Promise<WaitResult>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve("timed-out");
      }, this.failAfter / 1e6);
      const waiter = (result: WaitResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      this.waiters.push(waiter);
    });
  }

  toJSON(): PauseControllerState {
    return { state: this.state, stop_message: this.stopMessage, fail_after: this.failAfter };
  }

  restore(saved: PauseControllerState | undefined | null): void {
    if (!saved) return;
    this.state = saved.state ?? PauseState.Running;
    this.stopMessage = saved.stop_message ?? "";
    this.failAfter = saved.fail_after ?? 0;
  }

  private release(result: WaitResult): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(result);
  }
}
