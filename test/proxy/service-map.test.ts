import { expect, test } from "bun:test";
import { HostConflictError, prefixMatches, ServiceMap, type Routable } from "../../src/proxy/service-map.ts";

const svc = (name: string, hosts: string[], pathPrefixes = ["/"]): Routable => ({ name, hosts, pathPrefixes });
const map = new ServiceMap([
  svc("exact", ["a.example.com"]),
  svc("wild", ["*.example.com"]),
  svc("default", [""]),
  svc("api", [""], ["/api"]),
  svc("special", [""], ["/api/special"]),
  svc("other-api", ["other.com"], ["/api"]),
]);
const name = (host: string, path = "/") => map.lookup(host, path)?.service.name ?? null;

test("exact beats wildcard beats catch-all; wildcard is one level", () => {
  expect(name("a.example.com")).toBe("exact");
  expect(name("b.example.com")).toBe("wild");
  expect(name("extra.level.example.com")).toBe("default");
  expect(name("unknown.org")).toBe("default");
});

test("longest prefix wins, on segment boundaries", () => {
  expect(name("x.org", "/api/special/1")).toBe("special");
  expect(name("x.org", "/api/1")).toBe("api");
  expect(name("x.org", "/api")).toBe("api");
  expect(name("x.org", "/apiary")).toBe("default");
  expect(name("other.com", "/api/x")).toBe("other-api");
  expect(name("other.com", "/")).toBeNull();
  expect(map.lookup("x.org", "/api/x")?.prefix).toBe("/api");
  expect(prefixMatches("/api/", "/api")).toBe(true);
});

test("no catch-all: unknown hosts are not routed", () => {
  const m = new ServiceMap([svc("only", ["only.com"])]);
  expect(m.lookup("nope.com", "/")).toBeNull();
  expect(m.rootServiceForHost("only.com")?.name).toBe("only");
});

test("availability: same host+prefix owned by another service conflicts", () => {
  expect(() => map.checkAvailability("exact", ["a.example.com"], ["/"])).not.toThrow();
  expect(() => map.checkAvailability("new", ["a.example.com"], ["/"])).toThrow(HostConflictError);
  expect(() => map.checkAvailability("new", ["a.example.com"], ["/new"])).not.toThrow();
  expect(() => map.checkAvailability("new", ["c.example.com"], ["/"])).not.toThrow();
  expect(() => map.checkAvailability("new", [""], ["/"])).toThrow("host settings conflict with another service");
});
