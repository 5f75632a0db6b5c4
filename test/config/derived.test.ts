import { describe, expect, test } from "bun:test";
import { makeConfig } from "./derived-helpers.ts";

describe("names and images", () => {
  test("container names, prefixes and images without destination", () => {
    const c = makeConfig({ servers: ["1.1.1.1"] });
    const web = c.role("web")!;
    expect(web.containerPrefix).toBe("app-web");
    expect(web.containerName("999")).toBe("app-web-999");
    expect(c.repository).toBe("dhh/app");
    expect(c.absoluteImage).toBe("dhh/app:999");
    expect(c.latestTag).toBe("latest");
    expect(c.latestImage).toBe("dhh/app:latest");
    expect(c.serviceWithVersion).toBe("app-999");
    expect(c.serviceAndDestination).toBe("app");
    expect(web.secretsPath).toBe(".kamal/apps/app/env/roles/web.env");
  });

  test("destination goes into names, tags, paths and labels", () => {
    const c = makeConfig({ servers: { web: ["1.1.1.1"], workers: ["1.1.1.2"] }, registry: { server: "ghcr.io", username: "u", password: "p" } }, { destination: "staging" });
    const workers = c.role("workers")!;
    expect(workers.containerName("abc")).toBe("app-workers-staging-abc");
    expect(c.latestImage).toBe("ghcr.io/dhh/app:latest-staging");
    expect(c.appDirectory).toBe(".kamal/apps/app-staging");
    expect(c.auditLogPath).toBe(".kamal/app-staging-audit.log");
    expect(c.lockDirectory).toBe(".kamal/lock-app-staging");
    expect(workers.labels).toEqual({ service: "app", role: "workers", destination: "staging" });
  });

  test("version: --version beats $VERSION beats git", () => {
    expect(makeConfig({ servers: ["h"] }, { version: "v1", env: { VERSION: "v2" } }).version).toBe("v1");
    const c = makeConfig({ servers: ["h"] }, { env: { VERSION: "v2" } });
    expect(new (c.constructor as any)(c.raw, { cwd: "/", env: { VERSION: "v2" }, secrets: c.secrets }).version).toBe("v2");
  });

  test("abbreviated version keeps uncommitted suffixes whole", () => {
    expect(makeConfig({ servers: ["h"] }, { version: "0123456789abc" }).abbreviatedVersion).toBe("0123456");
    expect(makeConfig({ servers: ["h"] }, { version: "abc_uncommitted_12" }).abbreviatedVersion).toBe("abc_uncommitted_12");
  });

  test("local registry: image defaults to service, local port", () => {
    const c = makeConfig({ image: undefined, registry: { server: "localhost:5555" }, servers: ["h"] });
    expect(c.image).toBe("app");
    expect(c.repository).toBe("localhost:5555/app");
    expect(c.registry.local).toBe(true);
    expect(c.registry.localPort).toBe(5555);
    expect(makeConfig({ servers: ["h"], registry: { server: "localhostx:1" } }).registry.local).toBe(false);
  });

  test("registry credentials: literal or secret lookup", () => {
    const c = makeConfig({ servers: ["h"] });
    expect(c.registry.username(c.secrets)).toBe("dhh");
    expect(c.registry.password(c.secrets)).toBe("pw");
    expect(c.registry.passwordSource).toEqual({ secret: "KAMAL_REGISTRY_PASSWORD" });
  });
});

describe("roles and hosts", () => {
  test("array servers give one role web", () => {
    const c = makeConfig({ servers: ["1.1.1.1", "1.1.1.2"] });
    expect(c.roleNames).toEqual(["web"]);
    expect(c.primaryHost).toBe("1.1.1.1");
  });

  test("role names are sorted, all hosts follow role order then accessories", () => {
    const c = makeConfig({
      servers: { workers: ["1.1.1.3", "1.1.1.1"], web: ["1.1.1.1", "1.1.1.2"], api: { hosts: ["1.1.1.4"] } },
      accessories: { db: { image: "mysql", host: "1.1.1.5" }, redis: { image: "redis", roles: ["web", "api"] } },
    });
    expect(c.roleNames).toEqual(["api", "web", "workers"]);
    expect(c.allHosts).toEqual(["1.1.1.4", "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.5"]);
    expect(c.primaryHost).toBe("1.1.1.1");
    expect(c.accessory("redis")!.hosts).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.4"]);
    expect(c.hostRoles("1.1.1.1").map((r) => r.name)).toEqual(["web", "workers"]);
  });

  test("primary_role changes the primary host", () => {
    const c = makeConfig({ primary_role: "workers", servers: { web: ["a"], workers: ["b", "c"] } });
    expect(c.primaryRole!.name).toBe("workers");
    expect(c.primaryHost).toBe("b");
  });

  test("host tags: strings, arrays, duplicates", () => {
    const c = makeConfig({ servers: ["a", { b: "t1" }, { c: ["t1", "t2"] }, { d: "t1 t2" }] });
    const web = c.role("web")!;
    expect(web.hosts).toEqual(["a", "b", "c", "d"]);
    expect(web.tagsOf("c")).toEqual(["t1", "t2"]);
    expect(web.tagsOf("d")).toEqual(["t1 t2"]);
  });

  test("accessory tags only match simple role lists, substring for string tags", () => {
    const c = makeConfig({
      servers: { web: ["a", { b: "experiments" }, { c: ["other", "zz"] }], workers: { hosts: [{ d: "experiments" }] } },
      accessories: { one: { image: "i", tag: "experiment" }, two: { image: "i", tags: ["zz"] } },
    });
    expect(c.accessory("one")!.hosts).toEqual(["b"]);
    expect(c.accessory("two")!.hosts).toEqual(["c"]);
  });

  test("boot limit percentages use all hosts, at least 1", () => {
    const c = makeConfig({ servers: ["a", "b", "c"], accessories: { db: { image: "x", host: "d" } }, boot: { limit: "50%", wait: 2 } });
    expect(c.boot.limit).toBe(2);
    expect(c.boot.wait).toBe(2);
    expect(makeConfig({ servers: ["a"], boot: { limit: "10%" } }).boot.limit).toBe(1);
    expect(makeConfig({ servers: ["a"], boot: { limit: 3 } }).boot.limit).toBe(3);
  });
});

describe("env per host", () => {
  const raw = {
    servers: { web: ["vm1", { vm2: ["tag1", "tag2"] }, { vm3: ["unknown", "tag2", "tag1"] }], workers: { hosts: ["vm4"], env: { clear: { ROLE: "w" }, secret: ["WORKER_SECRET"] } } },
    env: {
      clear: { CLEAR_TAG: "", THREE: false, NUM: 3 },
      secret: ["DB_PASSWORD", "DB_PASSWORD2:MAIN_DB_PASSWORD"],
      tags: { tag1: { CLEAR_TAG: "tagged", THREE: true }, tag2: { clear: { CLEAR_TAG: "two" }, secret: ["SECRET_TAG", "DB_PASSWORD"] } },
    },
  };

  test("root only on an untagged host; blanks are bare, false is 'false'", () => {
    const env = makeConfig(raw).role("web")!.envFor("vm1");
    expect(env.clear).toEqual({ CLEAR_TAG: "", THREE: "false", NUM: "3" });
    expect(env.secretKeys).toEqual(["DB_PASSWORD", "DB_PASSWORD2:MAIN_DB_PASSWORD"]);
    expect(env.secrets).toEqual([{ name: "DB_PASSWORD", secret: "DB_PASSWORD" }, { name: "DB_PASSWORD2", secret: "MAIN_DB_PASSWORD" }]);
  });

  test("tags merge in host order, later wins, secrets union, unknown tags ignored", () => {
    const c = makeConfig(raw);
    expect(c.role("web")!.envFor("vm2")).toMatchObject({ clear: { CLEAR_TAG: "two", THREE: "true", NUM: "3" }, secretKeys: ["DB_PASSWORD", "DB_PASSWORD2:MAIN_DB_PASSWORD", "SECRET_TAG"] });
    expect(c.role("web")!.envFor("vm3").clear.CLEAR_TAG).toBe("tagged");
  });

  test("role env merges over root; secret values resolve aliases", () => {
    const c = makeConfig(raw, { secrets: { DB_PASSWORD: "a", MAIN_DB_PASSWORD: "b", WORKER_SECRET: "w", KAMAL_REGISTRY_PASSWORD: "x" } });
    const env = c.role("workers")!.envObjectFor("vm4");
    expect(env.clear.ROLE).toBe("w");
    expect(env.secretValues(c.secrets)).toEqual({ DB_PASSWORD: "a", DB_PASSWORD2: "b", WORKER_SECRET: "w" });
  });

  test("missing secret names the key", () => {
    const c = makeConfig(raw, { secrets: {} });
    expect(() => c.role("web")!.envObjectFor("vm1").secretValues(c.secrets)).toThrow("Secret 'DB_PASSWORD' not found");
  });
});

describe("role options, labels, logging, proxy, assets", () => {
  const c = makeConfig({
    labels: { team: "core" },
    asset_path: "/public/assets:ro",
    logging: { driver: "json-file", options: { "max-size": "100m" } },
    stop_timeout: 12,
    servers: {
      web: { hosts: ["a"], labels: { team: "web", empty: "" }, options: { restart: "always", memory: "2g", "cap-add": ["A", "B"], init: true } },
      workers: { hosts: ["b"], cmd: "bin/jobs", logging: { options: { "max-file": 5 } }, stop_timeout: 3 },
      api: { hosts: ["c"], proxy: { host: "api.example.com", ssl: true } },
    },
    proxy: { app_port: 3000, healthcheck: { path: "/health" } },
    drain_timeout: 20,
  });

  test("options and restart policy", () => {
    const web = c.role("web")!;
    expect(web.restartPolicy).toBe("always");
    expect(web.optionFlags).toEqual([["memory", "2g"], ["cap-add", "A"], ["cap-add", "B"], ["init", true]]);
    expect(c.role("workers")!.restartPolicy).toBe("unless-stopped");
    expect(c.role("workers")!.cmd).toBe("bin/jobs");
  });

  test("labels: defaults, root, role (bare for blank)", () => {
    expect(c.role("web")!.labels).toEqual({ service: "app", role: "web", destination: undefined, team: "web", empty: undefined });
  });

  test("logging deep merges role over root", () => {
    expect(c.role("workers")!.logging.dockerArgs).toEqual({ driver: "json-file", logOpts: [["max-size", "100m"], ["max-file", "5"]] });
    expect(c.role("workers")!.logging.kamalArgs).toEqual(["--log-driver", '"json-file"', "--log-opt", 'max-size="100m"', "--log-opt", 'max-file="5"']);
    expect(makeConfig({ servers: ["a"] }).logging.kamalArgs).toEqual(["--log-opt", 'max-size="10m"']);
  });

  test("proxy: primary role by default, others opt in, role config over root", () => {
    expect(c.role("web")!.runningProxy).toBe(true);
    expect(c.role("workers")!.runningProxy).toBe(false);
    const api = c.role("api")!;
    expect(api.runningProxy).toBe(true);
    expect(api.proxy!.appPort).toBe(3000);
    expect(api.proxy!.hosts).toEqual(["api.example.com"]);
    expect(api.ssl).toBe(true);
    expect(c.proxyHosts).toEqual(["c", "a"]);
  });

  test("stop timeouts", () => {
    expect(c.role("workers")!.stopWaitSeconds).toBe(3);
    expect(c.role("web")!.stopWaitSeconds).toBe(12);
    expect(makeConfig({ servers: { web: ["a"], jobs: ["b"] }, drain_timeout: 20 }).role("jobs")!.stopWaitSeconds).toBe(20);
    expect(makeConfig({ servers: { web: ["a"] } }).role("web")!.stopWaitSeconds).toBeUndefined();
  });

  test("asset path with mount options, only for proxy roles", () => {
    const web = c.role("web")!;
    expect(web.assetPath).toBe("/public/assets");
    expect(web.assetPathOptions).toBe("ro");
    expect(web.assets).toBe(true);
    expect(c.role("workers")!.assets).toBe(false);
    expect(web.assetVolumeDirectory("v1")).toBe(".kamal/apps/app/assets/volumes/web-v1");
    expect(web.assetExtractedDirectory("v1")).toBe(".kamal/apps/app/assets/extracted/web-v1");
  });

  test("proxy deploy flags in Kamal's order", () => {
    const flags = c.role("api")!.proxy!.deployFlags({ deployTimeout: 30, drainTimeout: 20, serviceAndDestination: "app" });
    expect(flags).toEqual([
      ["host", "api.example.com"], ["tls", true], ["deploy-timeout", "30s"], ["drain-timeout", "20s"], ["health-check-path", "/health"],
      ["buffer-requests", true], ["buffer-responses", true],
      ["log-request-header", "Cache-Control"], ["log-request-header", "Last-Modified"], ["log-request-header", "User-Agent"],
    ]);
  });
});

describe("env file content (Kamal::EnvFile)", () => {
  test("escaping: newlines as \\n, backslashes doubled, quotes and # kept, non-ASCII kept", async () => {
    const { envFileContent, escapeEnvFileValue } = await import("../../src/config/env-file.ts");
    expect(escapeEnvFileValue("a\nb")).toBe("a\\nb");
    expect(escapeEnvFileValue("back\\slash")).toBe("back\\\\slash");
    expect(escapeEnvFileValue('say "hi" #{x} $HOME')).toBe('say "hi" #{x} $HOME');
    expect(escapeEnvFileValue("caf\u00e9 \u4e2d\u6587\t!")).toBe("caf\u00e9 \u4e2d\u6587\\t!");
    expect(envFileContent({ A: "1", B: "two words" })).toBe("A=1\nB=two words\n");
    expect(envFileContent({})).toBe("\n");
  });
});

describe("secret env files and proxy paths", () => {
  test("role env file per host holds only that host's secrets; accessory env file", () => {
    const c = makeConfig({
      servers: ["a", { b: "t" }],
      env: { clear: { X: "1" }, secret: ["S1"], tags: { t: { secret: ["S2:OTHER"] } } },
      accessories: { db: { image: "pg", host: "a", env: { secret: ["DB_PW"] } } },
    }, { secrets: { KAMAL_REGISTRY_PASSWORD: "r", S1: "one\ntwo", OTHER: "o", DB_PW: "d" } });
    expect(c.role("web")!.secretEnvFile("a", c.secrets)).toBe("S1=one\\ntwo\n");
    expect(c.role("web")!.secretEnvFile("b", c.secrets)).toBe("S1=one\\ntwo\nS2=o\n");
    expect(c.accessory("db")!.secretEnvFile(c.secrets)).toBe("DB_PW=d\n");
  });

  test("proxy directories on the host and in the container", () => {
    const c = makeConfig({ servers: ["a"] }, { destination: "qa" });
    expect(c.proxyOptionsFile).toBe(".kamal/proxy/options");
    expect(c.proxyAppDirectory).toBe(".kamal/proxy/apps-config/app-qa");
    expect(c.errorPagesDirectory).toBe(".kamal/proxy/apps-config/app-qa/error_pages");
    expect(c.errorPagesContainerDirectory).toBe("/home/kamal-proxy/.apps-config/app-qa/error_pages");
    expect(c.tlsContainerDirectory).toBe("/home/kamal-proxy/.apps-config/app-qa/tls");
  });

  test("proxy run: publish ports, bind IPs, image", () => {
    const c = makeConfig({ servers: ["a"], proxy: { run: { http_port: 8080, bind_ips: ["127.0.0.1", "::1"], registry: "ghcr.io", version: "v0.9.3" } } });
    const run = c.proxyRun("a")!;
    expect(run.publishPorts).toEqual(["127.0.0.1:8080:80", "127.0.0.1:443:443", "[::1]:8080:80", "[::1]:443:443"]);
    expect(run.image).toBe("ghcr.io/basecamp/kamal-proxy:v0.9.3");
    expect(makeConfig({ servers: ["a"], proxy: { run: { publish: false } } }).proxyRun("a")!.publishPorts).toEqual([]);
    expect(makeConfig({ servers: ["a"] }).proxyRun("a")).toBeUndefined();
  });
});

describe("accessory mounts", () => {
  test("ERB files are flagged; duplicate local paths keep the last entry", () => {
    const c = makeConfig({ servers: ["a"], accessories: { db: { image: "x", host: "a", files: ["conf/my.cnf.erb:/etc/my.cnf", "a.txt:/one", "a.txt:/two:ro"] } } });
    expect(c.accessory("db")!.files).toEqual([
      { local: "conf/my.cnf.erb", hostPath: "app-db/etc/my.cnf", containerPath: "/etc/my.cnf", options: undefined, mode: "755", owner: undefined, erb: true },
      { local: "a.txt", hostPath: "app-db/two", containerPath: "/two", options: "ro", mode: "755", owner: undefined, erb: false },
    ]);
  });
});
