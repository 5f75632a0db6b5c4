import { describe, expect, test } from "bun:test";
import { DEFAULT_DURATION_BUCKETS, METRICS_CONTENT_TYPE, ProxyMetrics, escapeLabelValue, metricsResponse, normalizeMethod } from "../../src/proxy/metrics.ts";

/** Sample lines `name{labels} value` of an exposition, as a map. */
function samples(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    map.set(line.slice(0, at), line.slice(at + 1));
  }
  return map;
}

describe("normalizeMethod", () => {
  test("standard methods kept, others OTHER", () => {
    for (const m of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"]) expect(normalizeMethod(m)).toBe(m);
    for (const m of ["CUSTOM", "OTHER", "", "get"]) expect(normalizeMethod(m)).toBe("OTHER");
  });
});

describe("ProxyMetrics", () => {
  test("counter and histogram per service/method/status with kamal-proxy's names", () => {
    const metrics = new ProxyMetrics();
    metrics.recordRequest("app-web", "GET", 200, 0.003);
    metrics.recordRequest("app-web", "GET", 200, 0.2);
    metrics.recordRequest("app-web", "PURGE", 502, 12);
    metrics.recordRequest("", "GET", 404, 0.001);
    const s = samples(metrics.render());
    const ok = 'method="GET",service="app-web",status="200"';
    expect(s.get(`kamal_proxy_http_requests_total{${ok}}`)).toBe("2");
    expect(s.get('kamal_proxy_http_requests_total{method="OTHER",service="app-web",status="502"}')).toBe("1");
    expect(s.get('kamal_proxy_http_requests_total{method="GET",service="",status="404"}')).toBe("1");
    expect(s.get(`kamal_proxy_http_request_duration_seconds_bucket{${ok},le="0.005"}`)).toBe("1");
    expect(s.get(`kamal_proxy_http_request_duration_seconds_bucket{${ok},le="0.1"}`)).toBe("1");
    expect(s.get(`kamal_proxy_http_request_duration_seconds_bucket{${ok},le="0.25"}`)).toBe("2");
    expect(s.get(`kamal_proxy_http_request_duration_seconds_bucket{${ok},le="+Inf"}`)).toBe("2");
    expect(Number(s.get(`kamal_proxy_http_request_duration_seconds_sum{${ok}}`))).toBeCloseTo(0.203, 9);
    expect(s.get(`kamal_proxy_http_request_duration_seconds_count{${ok}}`)).toBe("2");
    expect(s.get('kamal_proxy_http_request_duration_seconds_bucket{method="OTHER",service="app-web",status="502",le="10"}')).toBe("0");
    const buckets = [...s.keys()].filter((k) => k.includes(ok) && k.includes("_bucket"));
    expect(buckets.length).toBe(DEFAULT_DURATION_BUCKETS.length + 1);
  });

  test("in-flight gauge goes up and down once per request", () => {
    const metrics = new ProxyMetrics();
    const a = metrics.trackInFlight("app-web");
    const b = metrics.trackInFlight("app-web");
    expect(samples(metrics.render()).get('kamal_proxy_http_in_flight_requests{service="app-web"}')).toBe("2");
    a(); a(); b();
    expect(samples(metrics.render()).get('kamal_proxy_http_in_flight_requests{service="app-web"}')).toBe("0");
  });

  test("exposition has HELP/TYPE lines, process series, escaped labels", () => {
    const metrics = new ProxyMetrics();
    metrics.recordRequest('we"ird\\svc', "GET", 200, 0.01);
    const text = metrics.render();
    expect(text).toContain("# TYPE kamal_proxy_http_requests_total counter\n");
    expect(text).toContain("# TYPE kamal_proxy_http_request_duration_seconds histogram\n");
    expect(text).toContain("# TYPE kamal_proxy_http_in_flight_requests gauge\n");
    expect(text).toContain('service="we\\"ird\\\\svc"');
    expect(Number(samples(text).get("process_resident_memory_bytes"))).toBeGreaterThan(1_000_000);
    expect(escapeLabelValue("a\nb")).toBe("a\\nb");
    expect(text.endsWith("\n")).toBe(true);
  });

  test("served over HTTP on any path with the Prometheus content type", async () => {
    const metrics = new ProxyMetrics();
    metrics.recordRequest("app", "POST", 201, 0.02);
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => metricsResponse(metrics) });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/anything/here`);
      expect(res.headers.get("content-type")).toBe(METRICS_CONTENT_TYPE);
      expect(await res.text()).toContain('kamal_proxy_http_requests_total{method="POST",service="app",status="201"} 1\n');
    } finally {
      server.stop(true);
    }
  });
});
