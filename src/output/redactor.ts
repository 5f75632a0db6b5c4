// Scrubs known secret values from any text before it is printed (command output, error messages, logs).
// One Redactor per run (passed in the Context); it only ever grows.

export const REDACTED = "[REDACTED]";

/** Values shorter than this are not scrubbed: replacing every "1" or "ab" in the output would hide everything. */
export const MIN_SECRET_LENGTH = 4;

export class Redactor {
  readonly #values = new Set<string>();
  readonly #sources: (() => Iterable<string>)[] = [];
  #sorted: string[] | null = [];

  constructor(values: Iterable<string> = []) {
    this.add(...values);
  }

  /** Remember secret values. Multi-line values are also remembered line by line, since output streams per line. */
  add(...values: (string | undefined | null)[]): void {
    for (const v of values) {
      if (typeof v !== "string") continue;
      for (const candidate of [v, ...(v.includes("\n") ? v.split(/\r?\n/) : [])]) {
        const t = candidate.length > MIN_SECRET_LENGTH * 2 ? candidate.trim() : candidate;
        if (t.length >= MIN_SECRET_LENGTH && !this.#values.has(t)) {
          this.#values.add(t);
          this.#sorted = null;
        }
      }
    }
  }

  get size(): number {
    return this.#values.size;
  }

  /** Also scrub whatever `source` returns at print time (e.g. secrets loaded lazily later in the run). */
  follow(source: () => Iterable<string>): void {
    this.#sources.push(source);
  }

  /** Replace every occurrence of every known secret (longest first) with [REDACTED]. */
  scrub(text: string): string {
    for (const source of this.#sources) this.add(...source());
    if (this.#values.size === 0 || text === "") return text;
    this.#sorted ??= [...this.#values].sort((a, b) => b.length - a.length);
    let out = text;
    for (const v of this.#sorted) {
      if (out.includes(v)) out = out.split(v).join(REDACTED);
    }
    return out;
  }
}
