// Kamal's validation messages, verbatim (test/configuration/validation_test.rb and the validators), and
// the collect-everything behaviour: one problem gives exactly Kamal's message, several give one line each.
import { describe, expect, test } from "bun:test";
import { ArgumentError, ConfigurationError } from "../../../src/errors.ts";
import { publishIpProblems, validateConfig, validationProblems } from "../../../src/config/validate/index.ts";
import { RubySymbol } from "../../../src/config/yaml.ts";

const VALID = {
  service: "app",
  image: "app",
  builder: { arch: "amd64" },
  registry: { username: "user", password: "secret" },
  servers: ["1.1.1.1"],
};

function problems(overrides: Record<string, unknown>): string[] {
  return validationProblems({ ...VALID, ...overrides });
}

function expectError(message: string, overrides: Record<string, unknown>): void {
  expect(problems(overrides)).toEqual([message]);
  expect(() => validateConfig({ ...VALID, ...overrides })).toThrow(message);
}

describe("root", () => {
  test("a valid configuration has no problems", () => {
    expect(problems({})).toEqual([]);
    expect(() => validateConfig(VALID)).not.toThrow();
  });
  test("unknown keys", () => {
    expectError("unknown key: unknown", { unknown: "value" });
    expectError("unknown keys: unknown, unknown2", { unknown: "value", unknown2: "value" });
  });
  test("x- extension keys are ignored at the root only", () => {
    expect(problems({ "x-anchors": { anything: [1, 2] } })).toEqual([]);
    expectError("ssh: unknown key: x-foo", { ssh: { "x-foo": 1 } });
  });
  test("string keys", () => {
    for (const key of ["service", "image", "asset_path", "hooks_path", "secrets_path", "primary_role", "minimum_version", "run_directory"]) {
      expectError(`${key}: should be a string`, { [key]: [] });
    }
  });
  test("stringish values: symbols, numbers and booleans pass as strings", () => {
    expect(problems({ image: 5, asset_path: true, primary_role: new RubySymbol("web"), servers: { web: ["1.1.1.1"] } })).toEqual([]);
  });
  test("nil is not a string", () => {
    expectError("service: should be a string", { service: null });
  });
  test("boolean and integer keys", () => {
    for (const key of ["require_destination", "allow_empty_roles"]) expectError(`${key}: should be a boolean`, { [key]: "foo" });
    for (const key of ["deploy_timeout", "drain_timeout", "retain_containers", "readiness_delay", "stop_timeout"]) {
      expectError(`${key}: should be an integer`, { [key]: "foo" });
    }
    expectError("deploy_timeout: should be an integer", { deploy_timeout: 1.5 });
  });
  test("hash and array sections", () => {
    expectError("volumes: should be an array", { volumes: "foo" });
    expectError("volumes/1: should be a string", { volumes: ["a:b", []] });
    expectError("servers: should be an array or a hash", { servers: "foo" });
    for (const key of ["labels", "registry", "accessories", "env", "ssh", "sshkit", "builder", "proxy", "boot", "logging"]) {
      expect(problems({ [key]: [] })[0]).toBe(`${key}: should be a hash`);
    }
    expectError("labels/foo: should be a string", { labels: { foo: [] } });
  });
  test("proxy: false passes the root check but not the proxy validator", () => {
    expectError("proxy: should be a hash", { proxy: false });
  });
  test("a configuration that is not a hash", () => {
    expect(validationProblems(["a"])).toEqual(["should be a hash"]);
  });
  test("hooks_output", () => {
    expect(problems({ hooks_output: new RubySymbol("verbose") })).toEqual([]);
    expect(problems({ hooks_output: { "pre-deploy": new RubySymbol("quiet"), "post-deploy": "verbose" } })).toEqual([]);
    expectError("hooks_output: should be a string or a symbol", { hooks_output: ["verbose"] });
    expectError("hooks_output/pre-deploy: should be a string or a symbol", { hooks_output: { "pre-deploy": {} } });
  });
});

describe("servers and roles", () => {
  test("host lists with tags", () => {
    expect(problems({ servers: ["1.1.1.1", { "1.1.1.2": "tag" }, { "1.1.1.3": ["a", "b"] }] })).toEqual([]);
    expectError("servers/0: should be a string or a hash", { servers: [[]] });
    expectError("servers/0: multiple hosts found", { servers: [{ a: "b", c: "d" }] });
    expectError("servers/0/foo: should be a string or an array", { servers: [{ foo: {} }] });
    expectError("servers/0/foo/0: should be a string", { servers: [{ foo: [[]] }] });
  });
  test("roles", () => {
    expectError("servers/web: should be an array or a hash", { servers: { web: "foo" } });
    expectError("servers/web: should be an array or a hash", { servers: { web: null } });
    expectError("servers/web/hosts: should be an array", { servers: { web: { hosts: "" } } });
    expectError("servers/web/hosts/0: should be a string or a hash", { servers: { web: { hosts: [[]] } } });
    expectError("servers/web/0: should be a string or a hash", { servers: { web: [[]] } });
    expectError("servers/web/options: should be a hash", { servers: { web: { options: "" } } });
    expectError("servers/web/logging/options: should be a hash", { servers: { web: { logging: { options: "" } } } });
    expectError("servers/web/logging/driver: should be a string", { servers: { web: { logging: { driver: [] } } } });
    expectError("servers/web/labels: should be a hash", { servers: { web: { labels: [] } } });
    expectError("servers/web/env: should be a hash", { servers: { web: { env: [] } } });
    expectError("servers/web: unknown key: traefik", { servers: { web: { hosts: ["1.1.1.1"], traefik: true } } });
    expectError("servers/web/cmd: should be a string", { servers: { web: { hosts: ["1.1.1.1"], cmd: [] } } });
    expectError("servers/web/stop_timeout: should be an integer", { servers: { web: { hosts: ["1.1.1.1"], stop_timeout: "x" } } });
  });
  test("reserved labels and tags in role env", () => {
    expectError("servers/web/labels/service: invalid label. destination, role, and service are reserved labels",
      { servers: { web: { labels: { service: "foo" } } } });
    expectError("servers/web/env: tags are only allowed in the root env", { servers: { web: { hosts: ["1.1.1.1"], env: { tags: {} } } } });
  });
  test("restart policies", () => {
    expect(problems({ servers: { web: { hosts: ["1.1.1.1"], options: { restart: "on-failure:3" } } } })).toEqual([]);
    expectError('servers/workers/options/restart: should be a string. Use "no" to disable restarts',
      { servers: { web: ["1.1.1.1"], workers: { hosts: ["1.1.1.2"], options: { restart: false } } } });
    expectError("servers/web/options/restart: should be no, always, unless-stopped, on-failure, or on-failure:N",
      { servers: { web: { hosts: ["1.1.1.1"], options: { restart: "sometimes" } } } });
  });
  test("role proxy: validated for the primary role unless false, for others only when set", () => {
    expectError("servers/web/proxy: Must set a host to enable automatic SSL", { servers: { web: { hosts: ["1.1.1.1"], proxy: { ssl: true } } } });
    expect(problems({ servers: { web: { hosts: ["1.1.1.1"], proxy: false }, jobs: { hosts: ["1.1.1.2"], proxy: true } } })).toEqual([]);
    expectError("servers/jobs/proxy: unknown key: nope", { servers: { web: ["1.1.1.1"], jobs: { hosts: ["1.1.1.2"], proxy: { nope: 1 } } } });
    expectError("servers/jobs/proxy: should be a hash", { servers: { web: ["1.1.1.1"], jobs: { hosts: ["1.1.1.2"], proxy: "yes" } } });
  });
  test("roles are validated in alphabetical order", () => {
    expect(problems({ servers: { zeta: { cmd: [] }, alpha: { cmd: [] }, web: ["1.1.1.1"] } }))
      .toEqual(["servers/alpha/cmd: should be a string", "servers/zeta/cmd: should be a string"]);
  });
});

describe("registry", () => {
  test("credentials", () => {
    expect(problems({ registry: {} })).toEqual(["registry/username: is required", "registry/password: is required"]);
    expectError("registry/password: is required", { registry: { username: "foo" } });
    expectError("registry/password: should be a string or an array with one string (for secret lookup)",
      { registry: { username: "foo", password: ["SECRET1", "SECRET2"] } });
    expectError("registry/server: should be a string", { registry: { username: "foo", password: "bar", server: [] } });
    expectError("registry: unknown key: email", { registry: { username: "foo", password: "bar", email: "x" } });
    expect(problems({ registry: { username: ["USER"], password: ["PASS"] } })).toEqual([]);
  });
  test("a missing registry reports the username (and password)", () => {
    const { registry: _r, ...withoutRegistry } = VALID;
    expect(validationProblems(withoutRegistry)).toEqual(["registry/username: is required", "registry/password: is required"]);
  });
  test("a local registry (localhost:PORT) needs no credentials", () => {
    expect(problems({ registry: { server: "localhost:5555" } })).toEqual([]);
    expect(problems({ registry: { server: "localhost" } })[0]).toBe("registry/username: is required");
  });
});

describe("accessories", () => {
  const accessory = (config: unknown, servers: unknown = ["1.1.1.1"]) => {
    const { servers: _s, ...rest } = VALID;
    return validationProblems({ ...rest, ...(servers === "none" ? {} : { servers }), accessories: { accessory1: config } });
  };
  test("shape", () => {
    expect(accessory([])).toEqual(["accessories/accessory1: should be a hash"]);
    expect(accessory({ unknown: "baz" })[0]).toBe("accessories/accessory1: unknown key: unknown");
    expect(accessory({ options: [] })[0]).toBe("accessories/accessory1/options: should be a hash");
    expect(accessory({ host: [] })[0]).toBe("accessories/accessory1/host: should be a string");
    expect(accessory({ env: [] })[0]).toBe("accessories/accessory1/env: should be a hash");
    expect(accessory({ host: "h", files: ["a:b", { local: "x", remote: "y", mode: 384 }], directories: [{ local: [] }] }))
      .toEqual(["accessories/accessory1/directories/0/local: should be a string"]);
    expect(accessory({ host: "h", files: [[]] })).toEqual(["accessories/accessory1/files/0: should be a string or a hash"]);
    expect(accessory({ hosts: ["a", { b: "tag" }], port: 3306, image: "mysql" })).toEqual([]);
  });
  test("exactly one of host, hosts, role, roles, tag, tags", () => {
    const message = "accessories/accessory1: specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`";
    expect(accessory({ image: "x" })).toEqual([message]);
    expect(accessory({ host: "a", hosts: ["b"] })).toEqual([message]);
  });
  test("labels, env tags, restart", () => {
    expect(accessory({ host: "host", labels: { destination: "foo" } }))
      .toEqual(["accessories/accessory1/labels/destination: invalid label. destination, role, and service are reserved labels"]);
    expect(accessory({ host: "host", env: { tags: {} } })).toEqual(["accessories/accessory1/env: tags are only allowed in the root env"]);
    expect(accessory({ host: "host", env: { clear: { A: "b" }, files: ["x"], directories: ["y"] } }))
      .toEqual(["accessories/accessory1/env: unknown keys: files, directories"]);
    expect(accessory({ host: "host", options: { restart: "never" } }))
      .toEqual(["accessories/accessory1/options/restart: should be no, always, unless-stopped, on-failure, or on-failure:N"]);
  });
  test("unknown roles", () => {
    expect(accessory({ roles: ["web", "a", "b"] })).toEqual(["accessories/accessory1: unknown roles a, b"]);
    expect(accessory({ role: "a" })).toEqual(["accessories/accessory1: unknown role a"]);
    expect(accessory({ roles: ["web"] }, "none")).toEqual(["accessories/accessory1: unknown roles web"]);
    expect(accessory({ roles: ["db", "web"] }, { web: ["1.1.1.1"], db: ["1.1.1.2"] })).toEqual([]);
  });
  test("accessory proxy and registry", () => {
    expect(accessory({ host: "h", proxy: true })).toEqual(["accessories/accessory1/proxy: should be a hash"]);
    expect(accessory({ host: "h", proxy: { ssl: true } })).toEqual(["accessories/accessory1/proxy: Must set a host to enable automatic SSL"]);
    expect(accessory({ host: "h", registry: { server: "r.example.com" } })).toEqual(["accessories/accessory1/registry/username: is required", "accessories/accessory1/registry/password: is required"]);
  });
});

describe("env", () => {
  test("messages", () => {
    expectError("env: should be a hash", { env: [] });
    expectError("env/FOO: should be a string", { env: { FOO: [] } });
    expectError("env/FOO: should be a string", { env: { FOO: null } });
    expectError("env/clear/FOO: should be a string", { env: { clear: { FOO: [] } } });
    expectError("env/secret: should be an array", { env: { secret: { FOO: [] } } });
    expectError("env/secret/0: should be a string", { env: { secret: [[]] } });
    expectError("env/tags: should be a hash", { env: { tags: [] } });
    expectError("env/tags/tag1: should be a hash", { env: { tags: { tag1: "foo" } } });
    expectError("env/tags/tag1/FOO: should be a string", { env: { tags: { tag1: { FOO: [] } } } });
    expectError("env/tags/tag1/clear/FOO: should be a string", { env: { tags: { tag1: { clear: { FOO: [] } } } } });
    expectError("env/tags/tag1/secret: should be an array", { env: { tags: { tag1: { secret: {} } } } });
    expectError("env/tags/tag1/secret/0: should be a string", { env: { tags: { tag1: { secret: [[]] } } } });
    expectError("env/tags/tag1: tags are only allowed in the root env", { env: { tags: { tag1: { tags: {} } } } });
    expectError("env: unknown key: FOO", { env: { clear: {}, FOO: "bar" } });
  });
  test("valid forms", () => {
    expect(problems({ env: { A: "1", B: 2, C: false } })).toEqual([]);
    expect(problems({ env: { clear: { A: "1" }, secret: ["B", "C:D"], tags: { t: { E: "x" }, u: { clear: { F: "y" }, secret: ["G"] } } } })).toEqual([]);
  });
});

describe("ssh, sshkit, boot, logging, aliases, output", () => {
  test("ssh", () => {
    expectError("ssh: unknown key: foo", { ssh: { foo: "bar" } });
    expectError("ssh/user: should be a string", { ssh: { user: [] } });
    expectError("ssh/config: should be a boolean or a string or an array", { ssh: { config: 1 } });
    expectError("ssh/keys/0: should be a string", { ssh: { keys: [[]] } });
    expect(problems({ ssh: { user: "app", port: 2222, config: false, keys_only: true, key_data: ["KEY"], proxy: "bastion" } })).toEqual([]);
    expect(problems({ ssh: { config: ["~/.ssh/a", "~/.ssh/b"] } })).toEqual([]);
  });
  test("sshkit", () => {
    expectError("sshkit: unknown key: foo", { sshkit: { foo: "bar" } });
    expectError("sshkit/max_concurrent_starts: should be an integer", { sshkit: { max_concurrent_starts: "foo" } });
    expectError("sshkit/dns_retries: should be an integer", { sshkit: { dns_retries: "foo" } });
  });
  test("boot", () => {
    expect(problems({ boot: { limit: 10, wait: 2, parallel_roles: true } })).toEqual([]);
    expect(problems({ boot: { limit: "25%" } })).toEqual([]);
    expectError("boot/wait: should be an integer", { boot: { wait: "2s" } });
    expectError("boot/parallel_roles: should be a boolean", { boot: { parallel_roles: "yes" } });
  });
  test("logging", () => {
    expectError("logging/options: should be a hash", { logging: { options: "max-size=10m" } });
    expectError("logging: unknown key: level", { logging: { level: "debug" } });
  });
  test("aliases", () => {
    expect(problems({ aliases: { console: "app exec -i --reuse 'bin/rails console'" } })).toEqual([]);
    expectError("aliases/console: should be a string", { aliases: { console: ["app", "exec"] } });
    expectError("aliases/Console: Invalid alias name: 'Console'. Must only contain lowercase letters, alphanumeric, hyphens and underscores.",
      { aliases: { Console: "app details" } });
    expectError("aliases/deploy: Alias 'deploy' conflicts with a built-in command.", { aliases: { deploy: "app details" } });
  });
  test("output loggers (Kamal raises ArgumentError for these)", () => {
    expect(problems({ output: { otel: { endpoint: "http://otel:4318" }, file: { path: "/tmp/k.log" } } })).toEqual([]);
    expect(problems({ output: { otel: {} } })).toEqual(["OTel endpoint is required"]);
    expect(problems({ output: { file: {} } })).toEqual(["file path is required"]);
    expect(() => validateConfig({ ...VALID, output: { otel: {} } })).toThrow(ArgumentError);
    expectError("output/file: should be a hash", { output: { file: "/tmp/x" } });
    expectError("output: unknown key: syslog", { output: { syslog: {} } });
  });
});

describe("builder", () => {
  test("messages", () => {
    expect(problems({ builder: { arch: "amd64", foo: "bar" } })).toEqual(["builder: unknown key: foo"]);
    expect(problems({ builder: { arch: "amd64", remote: { foo: "bar" } } })).toEqual(["builder/remote: should be a string"]);
    expect(problems({ builder: { arch: {} } })).toEqual(["builder/arch: should be an array or a string", "builder: Builder arch not set"]);
    expect(problems({ builder: { arch: ["amd64", []] } })).toEqual(["builder/arch: should be an array or a string"]);
    expect(problems({ builder: { arch: "amd64", args: ["foo"] } })).toEqual(["builder/args: should be a hash"]);
    expect(problems({ builder: { arch: "amd64", cache: { options: [] } } })).toEqual(["builder/cache/options: should be a string"]);
    expect(problems({ builder: { arch: "amd64", cache: { type: "s3" } } })).toEqual(["builder: Invalid cache type: s3"]);
    expect(problems({ builder: { arch: ["amd64", "arm64"], pack: { builder: "heroku/builder:24" } } }))
      .toEqual(["builder: buildpacks only support building for one arch"]);
    expect(problems({ builder: { arch: "amd64", local: false } })).toEqual(["builder: Cannot disable local builds, no remote is set"]);
    expect(problems({ builder: { arch: "amd64", sbom: "yes" } })).toEqual(["builder/sbom: should be a boolean"]);
  });
  test("arch is required even when builder is missing", () => {
    const { builder: _b, ...withoutBuilder } = VALID;
    expect(validationProblems(withoutBuilder)).toEqual(["builder: Builder arch not set"]);
    expectError("builder: Builder arch not set", { builder: { arch: [] } });
  });
  test("valid builders", () => {
    expect(problems({
      builder: {
        arch: ["amd64", "arm64"], remote: "ssh://docker@builder", local: true, cache: { type: "gha", options: "mode=max" },
        context: ".", dockerfile: "Dockerfile", target: "prod", args: { A: 1 }, secrets: ["S"], ssh: "default", driver: "docker",
        provenance: false, sbom: true,
      },
    })).toEqual([]);
  });
});

describe("proxy", () => {
  test("shape", () => {
    expectError("proxy: unknown key: host_port", { proxy: { host_port: 80 } });
    expectError("proxy/app_port: should be an integer", { proxy: { app_port: "3000" } });
    expectError("proxy/ssl: should be a boolean or a hash", { proxy: { host: "a.example.com", ssl: "yes" } });
    expectError("proxy/hosts: should be an array", { proxy: { hosts: "a.example.com" } });
    expectError("proxy/healthcheck/interval: should be an integer", { proxy: { healthcheck: { interval: "3s" } } });
    expectError("proxy/healthcheck: unknown key: cmd", { proxy: { healthcheck: { cmd: "x" } } });
    expectError("proxy/buffering/requests: should be a boolean", { proxy: { buffering: { requests: "on" } } });
    expectError("proxy/logging/request_headers/0: should be a string", { proxy: { logging: { request_headers: [[]] } } });
    expectError("proxy/run/http_port: should be an integer", { proxy: { run: { http_port: "80" } } });
    expectError("proxy/run/bind_ips: should be an array", { proxy: { run: { bind_ips: "0.0.0.0" } } });
    expectError("proxy/run/options: should be a hash", { proxy: { run: { options: "--memory 1g" } } });
  });
  test("host and ssl rules", () => {
    expectError("proxy: Must set a host to enable automatic SSL", { proxy: { ssl: true } });
    expectError("proxy: Must set a host to enable automatic SSL", { proxy: { ssl: {} } });
    expectError("proxy: Specify one of 'host' or 'hosts', not both", { proxy: { host: "a.example.com", hosts: ["b.example.com"] } });
    expectError("proxy: Missing private_key_pem setting (required when certificate_pem is present)",
      { proxy: { host: "a.example.com", ssl: { certificate_pem: "CERT" } } });
    expectError("proxy: Missing certificate_pem setting (required when private_key_pem is present)",
      { proxy: { host: "a.example.com", ssl: { private_key_pem: "KEY" } } });
  });
  test("run publish rules; bind_ips are not checked (Kamal reads the wrong key)", () => {
    expectError("proxy: Cannot set http_port, https_port or bind_ips when publish is false", { proxy: { run: { publish: false, http_port: 8080 } } });
    expect(problems({ proxy: { run: { bind_ips: ["not-an-ip"] } } })).toEqual([]);
    expect(publishIpProblems(["0.0.0.0", "::1", "fe80::1", "300.1.1.1", "host", 5]))
      .toEqual(["Invalid publish IP address: 300.1.1.1", "Invalid publish IP address: host", "Invalid publish IP address: 5"]);
    expect(problems({ proxy: { host: "a.example.com", ssl: true, app_port: 3000, run: { publish: true, bind_ips: ["127.0.0.1", "::1"], version: "v0.9.2" } } })).toEqual([]);
  });
});

describe("every problem at once", () => {
  test("problems come one per line in Kamal's order", () => {
    const raw = { ...VALID, unknown: 1, servers: { web: { hosts: "x" } }, registry: {}, builder: {}, proxy: { ssl: true }, ssh: { user: [] } };
    const expected = [
      "unknown key: unknown",
      "servers/web/hosts: should be an array",
      "registry/username: is required",
      "registry/password: is required",
      "builder: Builder arch not set",
      "proxy: Must set a host to enable automatic SSL",
      "ssh/user: should be a string",
    ];
    expect(validationProblems(raw)).toEqual(expected);
    let error: unknown;
    try { validateConfig(raw); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(expected.join("\n"));
  });
  test("the same problem found twice is reported once", () => {
    expect(problems({ servers: "foo" })).toEqual(["servers: should be an array or a hash"]);
  });
});
