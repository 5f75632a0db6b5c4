import { describe, expect, test } from "bun:test";
import { defaultServiceOptions, hasConfiguredHosts, normalizeServiceOptions, validateServiceOptions, type ServiceOptions } from "../../src/proxy/options.ts";

const opts = (o: Partial<ServiceOptions>): ServiceOptions => ({ ...defaultServiceOptions(), ...o });
const invalid = (o: Partial<ServiceOptions>) => validateServiceOptions(opts(o));

describe("validateServiceOptions", () => {
  test("TLS needs real hosts", () => {
    expect(invalid({ tls_enabled: true, hosts: [] })).toBe("service options invalid: host must be set when using TLS");
    expect(invalid({ tls_enabled: true, hosts: ["a.com", ""] })).toBe("service options invalid: host must be set when using TLS");
    expect(invalid({ tls_enabled: true, hosts: ["example.com", "*.example.com"] })).toBeNull();
  });
  test("TLS only on the root path", () => {
    expect(invalid({ tls_enabled: true, hosts: ["a.com"], path_prefixes: ["/api"] })).toBe("service options invalid: TLS settings must be specified on the root path service");
  });
  test("on-demand URL rules", () => {
    expect(invalid({ tls_on_demand_url: "/x" })).toBe("service options invalid: TLS must be enabled to use a TLS on-demand URL");
    const od = (url: string, extra: Partial<ServiceOptions> = {}) => invalid({ tls_enabled: true, tls_on_demand_url: url, ...extra });
    expect(od("/allow-host")).toBeNull();
    expect(od("/allow-host?token=abc")).toBeNull();
    expect(od("https://example.com/check")).toBeNull();
    expect(od("/x", { hosts: ["a.com"] })).toBe("service options invalid: cannot set hosts when using a TLS on-demand URL");
    expect(od("/x", { tls_certificate_path: "/c" })).toBe("service options invalid: cannot use a custom TLS certificate with a TLS on-demand URL");
    expect(od("/x", { canonical_host: "a.com" })).toBe("service options invalid: cannot set a canonical host when using a TLS on-demand URL");
    expect(od("//example.com/check")).toBe("service options invalid: tls-on-demand-url must be a path or an absolute http(s) URL");
    expect(od("ftp://example.com/x")).toBe('service options invalid: unsupported scheme "ftp" in tls-on-demand-url');
    expect(od("http://")).toBe("service options invalid: missing host in tls-on-demand-url");
    expect(od("://invalid-url")).toStartWith("service options invalid: unable to parse tls-on-demand-url");
    expect(od("allow-host")).toStartWith("service options invalid: unable to parse tls-on-demand-url");
  });
  test("canonical host must be in the host list", () => {
    expect(invalid({ hosts: ["example.com", "www.example.com"], canonical_host: "api.example.com" }))
      .toBe("service options invalid: canonical-host 'api.example.com' must be present in the hosts list: [example.com www.example.com]");
    expect(invalid({ hosts: [], canonical_host: "x.com" })).toBeNull();
    expect(invalid({ hosts: ["x.com"], canonical_host: "x.com" })).toBeNull();
  });
});

test("normalisation: catch-all host, root prefix, trimmed prefixes", () => {
  const o = normalizeServiceOptions(opts({ hosts: [], path_prefixes: ["api/", "//x//"] }));
  expect(o.hosts).toEqual([""]);
  expect(o.path_prefixes).toEqual(["/api", "/x"]);
  expect(normalizeServiceOptions(opts({ path_prefixes: [] })).path_prefixes).toEqual(["/"]);
  expect(hasConfiguredHosts(opts({ hosts: ["*.a.com"] }))).toBe(true);
  expect(hasConfiguredHosts(opts({ hosts: [""] }))).toBe(false);
});
