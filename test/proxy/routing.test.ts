// Routing through the real proxy (kamal-proxy §2.2, §3.3): hosts, wildcards, catch-all, path prefixes,
// conflicts, redeploys, canonical host.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { namedUpstream, ProxyProcess, startUpstream, type Upstream } from "./support/harness.ts";

let proxy: ProxyProcess;
const upstreams: Upstream[] = [];
const up = (name: string) => {
  const u = namedUpstream(name);
  upstreams.push(u);
  return u;
};
const body = async (path: string, host: string) => {
  const res = await proxy.fetch(path, { host });
  return `${res.status} ${res.status === 200 ? await res.text() : ""}`.trim();
};

beforeAll(async () => {
  proxy = await ProxyProcess.start();
});
afterAll(async () => {
  for (const u of upstreams) u.stop();
  await proxy.cleanup();
});

describe("hosts", () => {
  test("no service: 404 HTML page", async () => {
    const res = await proxy.fetch("/", { host: "nothing.test" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toContain("Not Found");
  });

  test("several hosts route, others 404, port in Host ignored, redeploy changes hosts", async () => {
    const a = up("multi");
    await proxy.ok("deploy", "multi", "--target", a.target, "--host", "one.test,two.test");
    expect(await body("/", "one.test")).toBe("200 multi");
    expect(await body("/", "two.test:80")).toBe("200 multi");
    expect(await body("/", "three.test")).toBe("404");
    await proxy.ok("deploy", "multi", "--target", a.target, "--host", "two.test", "--host", "four.test");
    expect(await body("/", "one.test")).toBe("404");
    expect(await body("/", "two.test")).toBe("200 multi");
    expect(await body("/", "four.test")).toBe("200 multi");
    await proxy.ok("remove", "multi");
    expect(await body("/", "two.test")).toBe("404");
  });

  test("exact beats one-level wildcard beats catch-all; host match is case-sensitive", async () => {
    const [w, e, c] = [up("wild"), up("exact"), up("catchall")];
    await proxy.ok("deploy", "wild", "--target", w.target, "--host", "*.wild.test");
    await proxy.ok("deploy", "exact", "--target", e.target, "--host", "a.wild.test");
    await proxy.ok("deploy", "catchall", "--target", c.target);
    expect(await body("/", "a.wild.test")).toBe("200 exact");
    expect(await body("/", "b.wild.test")).toBe("200 wild");
    expect(await body("/", "x.b.wild.test")).toBe("200 catchall");
    expect(await body("/", "unknown.test")).toBe("200 catchall");
    expect(await body("/", "A.WILD.TEST")).toBe("200 catchall");
    const second = await proxy.cli("deploy", "catchall2", "--target", c.target);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe("Error: host settings conflict with another service\n");
    for (const name of ["wild", "exact", "catchall"]) await proxy.ok("remove", name);
  });

  test("same host for a second service is rejected, first keeps serving", async () => {
    const [a, b] = [up("first"), up("second")];
    await proxy.ok("deploy", "first", "--target", a.target, "--host", "reuse.test");
    const result = await proxy.cli("deploy", "second", "--target", b.target, "--host", "reuse.test");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("Error: host settings conflict with another service\n");
    expect(await body("/", "reuse.test")).toBe("200 first");
    await proxy.ok("remove", "first");
  });

  test("canonical host redirects other hosts with 301, keeping path and query", async () => {
    const a = up("canon");
    await proxy.ok("deploy", "canon", "--target", a.target, "--host", "canon.test,www.canon.test", "--canonical-host", "canon.test");
    const res = await proxy.fetch("/path?q=1", { host: "www.canon.test:8080" });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("http://canon.test/path?q=1");
    expect(await body("/", "canon.test")).toBe("200 canon");
    await proxy.ok("remove", "canon");
  });
});

describe("path prefixes", () => {
  test("prefixes on segment boundaries, longest wins, stripped unless --strip-path-prefix=false", async () => {
    const echo = (name: string) => {
      const u = startUpstream((req) => { const url = new URL(req.url); return new Response(`${name} ${url.pathname}${url.search}`); });
      upstreams.push(u);
      return u;
    };
    const [root, app, internal, keep] = [echo("root"), echo("app"), echo("internal"), echo("keep")];
    await proxy.ok("deploy", "p-root", "--target", root.target, "--host", "paths.test");
    await proxy.ok("deploy", "p-app", "--target", app.target, "--host", "paths.test", "--path-prefix", "/app");
    await proxy.ok("deploy", "p-int", "--target", internal.target, "--host", "paths.test", "--path-prefix", "api/internal/");
    await proxy.ok("deploy", "p-keep", "--target", keep.target, "--host", "paths.test", "--path-prefix", "/keep", "--strip-path-prefix=false");
    expect(await body("/app/show", "paths.test")).toBe("200 app /show");
    expect(await body("/app", "paths.test")).toBe("200 app /");
    expect(await body("/appointment", "paths.test")).toBe("200 root /appointment");
    expect(await body("/api/internal/something?a=b", "paths.test")).toBe("200 internal /something?a=b");
    expect(await body("/api/external/something", "paths.test")).toBe("200 root /api/external/something");
    expect(await body("/keep/x", "paths.test")).toBe("200 keep /keep/x");
    const conflict = await proxy.cli("deploy", "p-app2", "--target", app.target, "--host", "paths.test", "--path-prefix", "/app/");
    expect(conflict.stderr).toBe("Error: host settings conflict with another service\n");
    const list = await proxy.cli("list");
    expect(list.stdout).toContain("/api/internal");
    for (const name of ["p-root", "p-app", "p-int", "p-keep"]) await proxy.ok("remove", name);
  });

  test("--scope-cookie-paths moves Set-Cookie paths under the prefix, for cookies of this host only", async () => {
    const cookies = startUpstream(() => {
      const headers = new Headers();
      headers.append("set-cookie", "a=1; Path=/something");
      headers.append("set-cookie", "b=2; Path=/");
      headers.append("set-cookie", "c=3");
      headers.append("set-cookie", "d=4; Domain=cookies.test; Path=/original");
      headers.append("set-cookie", "e=5; Domain=other.com; Path=/original");
      return new Response("ok", { headers });
    });
    upstreams.push(cookies);
    await proxy.ok("deploy", "scoped", "--target", cookies.target, "--host", "cookies.test", "--path-prefix", "/api,/app", "--scope-cookie-paths");
    await proxy.ok("deploy", "unscoped", "--target", cookies.target, "--host", "cookies.test", "--path-prefix", "/plain");
    const scoped = (await proxy.fetch("/app/x", { host: "cookies.test:8080" })).headers.getSetCookie();
    expect(scoped).toEqual(["a=1; Path=/app/something", "b=2; Path=/app", "c=3; Path=/app", "d=4; Domain=cookies.test; Path=/app/original", "e=5; Domain=other.com; Path=/original"]);
    const plain = (await proxy.fetch("/plain/x", { host: "cookies.test" })).headers.getSetCookie();
    expect(plain[0]).toBe("a=1; Path=/something");
    await proxy.ok("remove", "scoped");
    await proxy.ok("remove", "unscoped");
  });

  test("no fall-through from a matched host to the catch-all", async () => {
    const [a, c] = [up("hostpath"), up("fallback")];
    await proxy.ok("deploy", "hostpath", "--target", a.target, "--host", "nofall.test", "--path-prefix", "/only");
    await proxy.ok("deploy", "fallback", "--target", c.target);
    expect(await body("/only/x", "nofall.test")).toBe("200 hostpath");
    expect(await body("/other", "nofall.test")).toBe("404");
    expect(await body("/other", "else.test")).toBe("200 fallback");
    await proxy.ok("remove", "hostpath");
    await proxy.ok("remove", "fallback");
  });
});

describe("targets", () => {
  test("several targets are used round robin", async () => {
    const [a, b] = [up("rr-a"), up("rr-b")];
    await proxy.ok("deploy", "rr", "--target", `${a.target},${b.target}`, "--host", "rr.test");
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await body("/", "rr.test"));
    expect(seen.sort()).toEqual(["200 rr-a", "200 rr-a", "200 rr-b", "200 rr-b"]);
    await proxy.ok("remove", "rr");
  });

  test("redeploy switches traffic to the new target", async () => {
    const [a, b] = [up("old"), up("new")];
    await proxy.ok("deploy", "switch", "--target", a.target, "--host", "switch.test");
    expect(await body("/", "switch.test")).toBe("200 old");
    await proxy.ok("deploy", "switch", "--target", b.target, "--host", "switch.test");
    expect(await body("/", "switch.test")).toBe("200 new");
    await proxy.ok("remove", "switch");
  });

  test("invalid target names are rejected", async () => {
    const result = await proxy.cli("deploy", "bad", "--target", "_");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("Error: _ :invalid host pattern\n");
  });
});
