import { describe, expect, test } from "bun:test";
import { parseAllDocuments } from "yaml";
import { docSections, docsFor } from "../../src/flows/docs.ts";

const SECTIONS = ["configuration", "servers", "role", "env", "registry", "builder", "proxy", "ssh", "sshkit", "accessory", "boot", "logging", "output", "alias", "anchors"];

/** Every key used anywhere in a doc's YAML documents. */
function keysOf(text: string): Set<string> {
  const keys = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) { keys.add(k); walk(x); }
  };
  for (const doc of parseAllDocuments(text, { merge: true, version: "1.1" } as never) as any[]) walk(doc.toJS());
  return keys;
}

describe("kamal docs", () => {
  test("every section exists and is valid YAML with comments", () => {
    expect(docSections()).toEqual(SECTIONS);
    for (const section of SECTIONS) {
      const text = docsFor(section);
      expect(text.startsWith("# ")).toBe(true);
      const docs = parseAllDocuments(text, { version: "1.1" } as never) as any[];
      for (const d of docs) expect(d.errors).toEqual([]);
    }
  });

  test("no section: the root configuration; unknown: Kamal's line; case-insensitive", () => {
    expect(docsFor()).toBe(docsFor("configuration"));
    expect(docsFor("nope")).toBe("No documentation found for nope");
    expect(docsFor("Proxy")).toBe(docsFor("proxy"));
    expect(docsFor("accessories")).toBe(docsFor("accessory"));
  });

  test("the configuration doc covers every root key", () => {
    const keys = keysOf(docsFor());
    for (const k of ["service", "image", "labels", "volumes", "registry", "servers", "env", "asset_path", "hooks_path", "hooks_output",
      "secrets_path", "error_pages_path", "require_destination", "primary_role", "allow_empty_roles", "retain_containers", "minimum_version",
      "readiness_delay", "deploy_timeout", "drain_timeout", "stop_timeout", "run_directory", "ssh", "builder", "accessories", "proxy",
      "sshkit", "boot", "logging", "output", "aliases"]) expect(keys).toContain(k);
  });

  test("section docs cover their keys", () => {
    const expectKeys = (section: string, wanted: string[]) => {
      const keys = keysOf(docsFor(section));
      for (const k of wanted) expect(`${section}:${keys.has(k) ? k : "MISSING " + k}`).toBe(`${section}:${k}`);
    };
    expectKeys("role", ["hosts", "cmd", "options", "labels", "env", "logging", "proxy", "stop_timeout", "asset_path"]);
    expectKeys("env", ["clear", "secret", "tags"]);
    expectKeys("registry", ["server", "username", "password"]);
    expectKeys("builder", ["arch", "remote", "local", "context", "dockerfile", "target", "args", "secrets", "ssh", "cache", "driver", "provenance", "sbom", "pack"]);
    expectKeys("proxy", ["host", "app_port", "ssl", "ssl_redirect", "forward_headers", "response_timeout", "path_prefix", "strip_path_prefix",
      "healthcheck", "buffering", "logging", "run", "http_port", "https_port", "publish", "bind_ips", "log_max_size", "metrics_port", "version"]);
    expectKeys("ssh", ["user", "port", "proxy", "proxy_command", "keys", "key_data", "keys_only", "config", "forward_agent", "log_level"]);
    expectKeys("sshkit", ["max_concurrent_starts", "pool_idle_timeout", "dns_retries"]);
    expectKeys("accessory", ["service", "image", "host", "registry", "cmd", "port", "labels", "options", "env", "files", "directories", "volumes", "network", "proxy"]);
    expectKeys("boot", ["limit", "wait", "parallel_roles"]);
    expectKeys("logging", ["driver", "options"]);
    expectKeys("output", ["otel", "endpoint", "file", "path"]);
    expectKeys("alias", ["aliases"]);
  });

  test("anchors doc: merge keys really merge and x- blocks are plain keys", () => {
    const [doc] = parseAllDocuments(docsFor("anchors"), { merge: true } as never) as any[];
    const config = doc.toJS();
    expect(config.servers.workers.options).toEqual({ memory: "1g" });
    expect(config.servers.web.hosts).toEqual(["192.168.0.1"]);
  });
});
