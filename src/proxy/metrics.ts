// Prometheus metrics (kamal-proxy §2.13), rendered in the text exposition format 0.0.4 with kamal-proxy's names:
//   kamal_proxy_http_requests_total{service,method,status}            counter
//   kamal_proxy_http_request_duration_seconds{service,method,status}  histogram, Prometheus default buckets
//   kamal_proxy_http_in_flight_requests{service}                      gauge
// plus the standard process_* series. kamal-proxy serves them on every path of the `--metrics-port` listener.
import { readdirSync } from "node:fs";

export const DEFAULT_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"]);

/** Method label: the nine standard methods as given, anything else (incl. "") `OTHER`. */
export function normalizeMethod(method: string): string {
  return KNOWN_METHODS.has(method) ? method : "OTHER";
}

interface HistogramSeries {
  labels: string;
  bucketCounts: number[];
  sum: number;
  count: number;
}

export class ProxyMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, HistogramSeries>();
  private readonly inFlight = new Map<string, number>();
  private readonly startTimeSeconds: number;

  constructor(private readonly buckets: readonly number[] = DEFAULT_DURATION_BUCKETS, now: number = Date.now()) {
    this.startTimeSeconds = Math.floor(now / 1000);
  }

  /** Records one finished request (also 404s with service "", 101 upgrades and 499 client cancels). */
  recordRequest(service: string, method: string, status: number, durationSeconds: number): void {
    // Label names already in sorted order (method < service < status): no per-request sort.
    const labels = `{method="${normalizeMethod(method)}",service="${escapeLabelValue(service)}",status="${status}"}`;
    this.requests.set(labels, (this.requests.get(labels) ?? 0) + 1);
    let series = this.durations.get(labels);
    if (!series) {
      series = { labels, bucketCounts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.durations.set(labels, series);
    }
    for (let i = 0; i < this.buckets.length; i++) if (durationSeconds <= this.buckets[i]) series.bucketCounts[i]++;
    series.sum += durationSeconds;
    series.count++;
  }

  /** Counts a request routed to `service` as in flight; call the returned function once when it finishes. */
  trackInFlight(service: string): () => void {
    this.inFlight.set(service, (this.inFlight.get(service) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight.set(service, (this.inFlight.get(service) ?? 1) - 1);
    };
  }

  /** The exposition text. */
  render(): string {
    const lines: string[] = [];
    lines.push(
      "# HELP kamal_proxy_http_in_flight_requests Number of HTTP requests being served, by service.",
      "# TYPE kamal_proxy_http_in_flight_requests gauge",
    );
    for (const service of [...this.inFlight.keys()].sort()) {
      lines.push(`kamal_proxy_http_in_flight_requests${labelSet({ service })} ${this.inFlight.get(service)}`);
    }
    lines.push(
      "# HELP kamal_proxy_http_request_duration_seconds Duration of HTTP requests in seconds, by service, method and status.",
      "# TYPE kamal_proxy_http_request_duration_seconds histogram",
    );
    for (const labels of [...this.durations.keys()].sort()) {
      const series = this.durations.get(labels)!;
      const inner = labels.slice(1, -1);
      this.buckets.forEach((bound, i) => {
        lines.push(`kamal_proxy_http_request_duration_seconds_bucket{${inner},le="${formatNumber(bound)}"} ${series.bucketCounts[i]}`);
      });
      lines.push(`kamal_proxy_http_request_duration_seconds_bucket{${inner},le="+Inf"} ${series.count}`);
      lines.push(`kamal_proxy_http_request_duration_seconds_sum${labels} ${formatNumber(series.sum)}`);
      lines.push(`kamal_proxy_http_request_duration_seconds_count${labels} ${series.count}`);
    }
    lines.push(
      "# HELP kamal_proxy_http_requests_total Total number of HTTP requests, by service, method and status.",
      "# TYPE kamal_proxy_http_requests_total counter",
    );
    for (const labels of [...this.requests.keys()].sort()) lines.push(`kamal_proxy_http_requests_total${labels} ${this.requests.get(labels)}`);
    lines.push(...processMetrics(this.startTimeSeconds));
    return `${lines.join("\n")}\n`;
  }
}

/** The metrics listener's handler: the same exposition on every path. */
export function metricsResponse(metrics: ProxyMetrics): Response {
  return new Response(metrics.render(), { headers: { "content-type": METRICS_CONTENT_TYPE } });
}

/** `{a="1",b="2"}` with label names sorted (as Prometheus' Go client prints them) and values escaped. */
function labelSet(labels: Record<string, string>): string {
  const parts = Object.keys(labels).sort().map((name) => `${name}="${escapeLabelValue(labels[name])}"`);
  return `{${parts.join(",")}}`;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatNumber(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (Number.isNaN(value)) return "NaN";
  return String(value);
}

function processMetrics(startTimeSeconds: number): string[] {
  const usage = process.cpuUsage();
  const lines = [
    "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.",
    "# TYPE process_cpu_seconds_total counter",
    `process_cpu_seconds_total ${formatNumber((usage.user + usage.system) / 1e6)}`,
    "# HELP process_resident_memory_bytes Resident memory size in bytes.",
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
    "# TYPE process_start_time_seconds gauge",
    `process_start_time_seconds ${startTimeSeconds}`,
  ];
  const openFds = countOpenFileDescriptors();
  if (openFds !== undefined) {
    lines.push("# HELP process_open_fds Number of open file descriptors.", "# TYPE process_open_fds gauge", `process_open_fds ${openFds}`);
  }
  return lines;
}

/** Open descriptors from /proc/self/fd (Linux); undefined elsewhere, and the series is then omitted. */
function countOpenFileDescriptors(): number | undefined {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return undefined;
  }
}
