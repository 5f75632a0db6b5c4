import { afterAll, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DeployArgs } from "../../src/proxy/commands.ts";
import { defaultServiceOptions, defaultTargetOptions, type ServiceOptions } from "../../src/proxy/options.ts";
import { Router } from "../../src/proxy/router.ts";
import { memoryLogger } from "./support/quiet-logger.ts";

const upstream = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok") });
afterAll(() => void upstream.stop(true));
const target = `127.0.0.1:${upstream.port}`;
let router: Router;
let statePath: string;
beforeEach(() => {
  statePath = join(mkdtempSync(join(tmpdir(), "router-test-")), "kamal-proxy.state");
  router = new Router(statePath, memoryLogger().logger);
});

const deployArgs = (service: string, options: Partial<ServiceOptions> = {}, targets = [target]): DeployArgs => ({
  service, target_urls: targets, reader_urls: [],
  deployment_options: { deploy_timeout: 2e9, drain_timeout: 1e9, force: false },
  service_options: { ...defaultServiceOptions(), hosts: [], path_prefixes: [], ...options },
  target_options: defaultTargetOptions(),
});

test("deploy installs, saves state, routes; remove drops it", async () => {
  await router.deploy(deployArgs("web", { hosts: ["a.test"] }));
  expect(router.lookup("a.test", "/")?.service.name).toBe("web");
  expect(JSON.parse(readFileSync(statePath, "utf8"))[0].active_targets).toEqual([target]);
  router.remove("web");
  expect(router.lookup("a.test", "/")).toBeNull();
  expect(JSON.parse(readFileSync(statePath, "utf8"))).toEqual([]);
  expect(() => router.remove("web")).toThrow("service not found");
});

test("path services inherit TLS settings from the root service of their first host", async () => {
  await router.deploy(deployArgs("api", { hosts: ["t.test"], path_prefixes: ["/api"] }));
  expect(router.services.get("api")!.options.tls_enabled).toBe(false);
  await router.deploy(deployArgs("root", { hosts: ["t.test"], tls_enabled: true, tls_redirect: false }));
  expect(router.services.get("api")!.options).toMatchObject({ tls_enabled: true, tls_redirect: false });
  router.remove("root");
  expect(router.services.get("api")!.options).toMatchObject({ tls_enabled: false, tls_redirect: true });
});

test("failed preparation leaves the old service in place", async () => {
  await router.deploy(deployArgs("web", { hosts: ["a.test"] }));
  await expect(router.deploy(deployArgs("web", { hosts: ["a.test"], error_page_path: "/nope" }))).rejects.toThrow("unable to load error pages");
  await expect(router.deploy(deployArgs("web", { hosts: ["a.test"], tls_enabled: true, tls_certificate_path: "/x", tls_private_key_path: "/y" })))
    .rejects.toThrow("unable to load certificate");
  await expect(router.deploy(deployArgs("wild", { hosts: ["*.a.test"], tls_enabled: true }))).rejects.toThrow("automatic TLS does not support wildcards");
  expect(router.services.get("web")!.options.error_page_path).toBe("");
  expect(router.lookup("a.test", "/")?.service.name).toBe("web");
});

test("server-side validation and unknown services", async () => {
  await expect(router.deploy(deployArgs("x", { tls_enabled: true }))).rejects.toThrow("service options invalid: host must be set when using TLS");
  expect(() => router.rolloutSet({ service: "x", percentage: 1, allowlist: [] })).toThrow("service not found");
  await router.deploy(deployArgs("web"));
  expect(() => router.rolloutSet({ service: "web", percentage: 1, allowlist: [] })).toThrow("rollout target not set");
  expect(router.list()).toEqual([{ service: "web", hosts: [""], paths: ["/"], targets: [target], state: "running", tls: false }]);
});
