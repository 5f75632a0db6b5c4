// output.otel.endpoint: ships log records as OTLP/HTTP JSON to <endpoint>/v1/logs, batched (100 records or 5 s).
// Failures are swallowed; the first prints "OTel log shipping failed: ..." to the error writer. Uses fetch only.
import type { LogLevel, LogRecord, LogSink, TextWriter } from "./logger.ts";

type AttrValue = string | number | boolean;
export type Attributes = Record<string, AttrValue | undefined>;

export interface OtelOptions {
  endpoint: string;
  /** Resource attributes: service.name=kamal is added; pass service.version, kamal.run_id, service.namespace,
   *  kamal.deploy_version, kamal.performer, deployment.environment.name. */
  resource: Attributes;
  err: TextWriter;
  batchSize?: number;
  flushIntervalMs?: number;
  fetch?: typeof fetch;
}

const SEVERITY: Record<LogLevel, number> = { debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

interface OtlpRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: { stringValue: string };
  attributes: OtlpAttr[];
  eventName?: string;
}
type OtlpAttr = { key: string; value: { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number } };

function encodeAttributes(attrs: Attributes, doubles: ReadonlySet<string> = new Set()): OtlpAttr[] {
  const out: OtlpAttr[] = [];
  for (const [key, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (typeof v === "boolean") out.push({ key, value: { boolValue: v } });
    else if (typeof v === "number") {
      out.push({ key, value: Number.isInteger(v) && !doubles.has(key) ? { intValue: String(v) } : { doubleValue: v } });
    } else out.push({ key, value: { stringValue: v } });
  }
  return out;
}

const nanos = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

export class OtelShipper implements LogSink {
  readonly #o: Required<Omit<OtelOptions, "fetch">> & { fetch: typeof fetch };
  #buffer: OtlpRecord[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void>[] = [];
  #warned = false;

  constructor(o: OtelOptions) {
    this.#o = { batchSize: 100, flushIntervalMs: 5000, fetch: globalThis.fetch.bind(globalThis), ...o };
  }

  get endpoint(): string {
    return this.#o.endpoint;
  }

  record(r: LogRecord): void {
    if (r.message === "") return;
    const attrs: Attributes = { "server.address": r.host, "log.iostream": r.stream };
    this.#push({
      timeUnixNano: nanos(r.timeMs),
      observedTimeUnixNano: nanos(Date.now()),
      severityNumber: SEVERITY[r.level],
      severityText: r.level.toUpperCase(),
      body: { stringValue: r.message },
      attributes: encodeAttributes(attrs),
    });
  }

  /** kamal.start / kamal.complete / kamal.failed and similar named events. */
  event(name: string, attributes: Attributes, level: LogLevel = "info"): void {
    const now = Date.now();
    this.#push({
      timeUnixNano: nanos(now),
      observedTimeUnixNano: nanos(now),
      severityNumber: SEVERITY[level],
      severityText: level.toUpperCase(),
      body: { stringValue: name },
      attributes: encodeAttributes(attributes, new Set(["kamal.runtime"])),
      eventName: name,
    });
  }

  #push(rec: OtlpRecord): void {
    this.#buffer.push(rec);
    if (this.#buffer.length >= this.#o.batchSize) this.flush();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.flush(), this.#o.flushIntervalMs);
      (this.#timer as { unref?: () => void }).unref?.();
    }
  }

  /** Send what is buffered (does not wait; see close). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    const p = this.#send(batch);
    this.#inFlight.push(p);
    void p.finally(() => { this.#inFlight = this.#inFlight.filter((x) => x !== p); });
  }

  /** Flush and wait for every request to finish. */
  async close(): Promise<void> {
    this.flush();
    await Promise.all(this.#inFlight);
  }

  async #send(records: OtlpRecord[]): Promise<void> {
    const body = {
      resourceLogs: [{
        resource: { attributes: encodeAttributes({ "service.name": "kamal", ...this.#o.resource }) },
        scopeLogs: [{ scope: { name: "kamal" }, logRecords: records }],
      }],
    };
    try {
      const res = await this.#o.fetch(this.#o.endpoint.replace(/\/+$/, "") + "/v1/logs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (e) {
      if (!this.#warned) {
        this.#warned = true;
        this.#o.err.write(`OTel log shipping failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }
}
