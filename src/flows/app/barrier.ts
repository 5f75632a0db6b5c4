// The deployment barrier (reference §5c): a gate that opens or closes once, shared by every host and role of one
// `app boot`. The first primary-role container to become healthy opens it; the first to fail closes it. Other roles
// wait on it before creating their container, so a broken image never starts a worker of the new version.
import { KamalError } from "../../errors.ts";

export class HealthcheckError extends KamalError {
  constructor(message: string) { super(message, "Kamal::Cli::Healthcheck::Error"); }
}

export class Barrier {
  #settle!: (open: boolean) => void;
  #decided = false;
  readonly outcome = new Promise<boolean>((resolve) => (this.#settle = resolve));

  /** true for the first caller only (it prints the message). */
  open(): boolean { return this.#decide(true); }
  close(): boolean { return this.#decide(false); }

  /** Resolves when the barrier opens; throws `Halted at barrier` when it closed. */
  async wait(): Promise<void> {
    if (!(await this.outcome)) throw new HealthcheckError("Halted at barrier");
  }

  #decide(open: boolean): boolean {
    if (this.#decided) return false;
    this.#decided = true;
    this.#settle(open);
    return true;
  }
}
