import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultServiceOptions, defaultTargetOptions } from "../../src/proxy/options.ts";
import type { RequestContext } from "../../src/proxy/request-context.ts";
import { prepareOptions } from "../../src/proxy/router-state.ts";
import { Service } from "../../src/proxy/service.ts";

const ctx = (method: string, routedPath: string): RequestContext => ({ req: new Request("http://x" + routedPath, { method }), routedPath, status: 200 }) as unknown as RequestContext;

test("health-check requests: GET/HEAD on the exact routed path", async () => {
  const service = new Service("s", await prepareOptions(defaultServiceOptions(), defaultTargetOptions()));
  expect(service.isHealthCheckRequest(ctx("GET", "/up"))).toBe(true);
  expect(service.isHealthCheckRequest(ctx("HEAD", "/up"))).toBe(true);
  expect(service.isHealthCheckRequest(ctx("POST", "/up"))).toBe(false);
  expect(service.isHealthCheckRequest(ctx("GET", "/up/other"))).toBe(false);
});

test("error responses: custom page first, then built-in with message, then generic", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pages-"));
  writeFileSync(join(dir, "404.html"), "Custom 404");
  const service = new Service("s", await prepareOptions({ ...defaultServiceOptions(), error_page_path: dir }, defaultTargetOptions()));
  const custom = service.errorResponse(ctx("GET", "/"), 404);
  expect([custom.status, await custom.text()]).toEqual([404, "Custom 404"]);
  const builtIn = service.errorResponse(ctx("GET", "/"), 503, "Gone to lunch");
  expect(builtIn.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(await builtIn.text()).toContain("Gone to lunch");
  expect(await service.errorResponse(ctx("GET", "/"), 400).text()).toBe("<h1>400 Bad Request</h1>");
});
