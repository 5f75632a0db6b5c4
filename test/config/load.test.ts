// Loading config/deploy.yml (+ destination file) from real files, and the YAML 1.1 (Psych) semantics.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationError } from "../../src/errors.ts";
import { deepMerge, destinationConfigFile, loadRawConfig } from "../../src/config/load.ts";
import { validationProblems } from "../../src/config/validate/index.ts";
import { parseYaml, RubySymbol } from "../../src/config/yaml.ts";

const roots: string[] = [];
afterAll(() => { for (const root of roots) rmSync(root, { recursive: true, force: true }); });

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "kamal-load-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function errorOf(fn: () => unknown): Error {
  try { fn(); } catch (error) { return error as Error; }
  throw new Error("expected an error");
}

const BASE = `service: app
image: user/app
servers:
  web:
    hosts: [1.1.1.1, 1.1.1.2]
    options: { memory: 1g }
  jobs: [1.1.1.3]
env:
  clear: { A: "1", B: "2" }
  secret: [S1]
builder:
  arch: amd64
`;

describe("loadRawConfig", () => {
  test("reads config/deploy.yml from the project directory", () => {
    const cwd = project({ "config/deploy.yml": BASE });
    const { raw, files } = loadRawConfig({ cwd, env: {} });
    expect(files).toEqual([join(cwd, "config/deploy.yml")]);
    expect(raw.service).toBe("app");
    expect(raw.servers).toEqual({ web: { hosts: ["1.1.1.1", "1.1.1.2"], options: { memory: "1g" } }, jobs: ["1.1.1.3"] });
  });
  test("a destination file is deep-merged: hashes merge, arrays and scalars are replaced", () => {
    const cwd = project({
      "config/deploy.yml": BASE,
      "config/deploy.staging.yml": `image: user/app-staging
servers:
  web:
    hosts: [2.2.2.2]
env:
  clear: { B: "two", C: "3" }
  secret: [S2]
builder: ~
`,
    });
    const { raw, files } = loadRawConfig({ cwd, destination: "staging", env: {} });
    expect(files).toEqual([join(cwd, "config/deploy.yml"), join(cwd, "config/deploy.staging.yml")]);
    expect(raw.image).toBe("user/app-staging");
    expect(raw.servers).toEqual({ web: { hosts: ["2.2.2.2"], options: { memory: "1g" } }, jobs: ["1.1.1.3"] });
    expect(raw.env).toEqual({ clear: { A: "1", B: "two", C: "3" }, secret: ["S2"] });
    expect(raw.builder).toBeNull();
  });
  test("a missing file, base or destination, is an error with its absolute path", () => {
    const cwd = project({ "config/deploy.yml": BASE });
    const missingDest = errorOf(() => loadRawConfig({ cwd, destination: "production", env: {} }));
    expect(missingDest).toBeInstanceOf(ConfigurationError);
    expect((missingDest as ConfigurationError).kind).toBe("RuntimeError");
    expect(missingDest.message)
      .toBe(`Configuration file not found in ${join(cwd, "config/deploy.production.yml")}; create it for destination "production", or check -d`);
    expect(errorOf(() => loadRawConfig({ cwd, configFile: "config/other.yml", env: {} })).message)
      .toBe(`Configuration file not found in ${join(cwd, "config/other.yml")}; run kamal init to create it, or give -c the path of your deploy.yml`);
  });
  test("-c with another file: its destination file sits next to it (sub_ext)", () => {
    const cwd = project({ "deploy/app.yml": BASE, "deploy/app.eu.yml": "image: user/app-eu\n" });
    expect(loadRawConfig({ cwd, configFile: "deploy/app.yml", destination: "eu", env: {} }).raw.image).toBe("user/app-eu");
    expect(destinationConfigFile("config/deploy.yml", "staging")).toBe("config/deploy.staging.yml");
    expect(destinationConfigFile("config/deploy.yaml", "staging")).toBe("config/deploy.staging.yml");
    expect(destinationConfigFile("config/deploy", "staging")).toBe("config/deploy.staging.yml");
  });
  test("KAMAL_DESTINATION is set for ERB (and removed without a destination)", () => {
    const cwd = project({
      "config/deploy.yml": `service: app\nlabels:\n  dest: "<%= ENV['KAMAL_DESTINATION'] %>"\n`,
      "config/deploy.beta.yml": "image: x\n",
    });
    const env: Record<string, string | undefined> = { KAMAL_DESTINATION: "stale" };
    expect(loadRawConfig({ cwd, env }).raw.labels).toEqual({ dest: "" });
    expect(env.KAMAL_DESTINATION).toBeUndefined();
    const result = loadRawConfig({ cwd, destination: "beta", env });
    expect(result.raw.labels).toEqual({ dest: "beta" });
    expect(result.env).toBe(env);
    expect(env.KAMAL_DESTINATION).toBe("beta");
  });
  test("process.env itself is never changed", () => {
    const cwd = project({ "config/deploy.yml": "service: app\n", "config/deploy.zz.yml": "image: x\n" });
    const before = process.env.KAMAL_DESTINATION;
    const { env } = loadRawConfig({ cwd, destination: "zz", env: process.env });
    expect(env.KAMAL_DESTINATION).toBe("zz");
    expect(process.env.KAMAL_DESTINATION).toBe(before);
  });
  test("Dotenv.load in ERB reads files from the project directory into the returned env", () => {
    const cwd = project({
      "config/deploy.yml": `<% require "dotenv"; Dotenv.load(".env") %>\nservice: <%= ENV["SERVICE_NAME"] %>\n`,
      ".env": "SERVICE_NAME=from-dotenv\n",
    });
    const { raw, env } = loadRawConfig({ cwd, env: {} });
    expect(raw.service).toBe("from-dotenv");
    expect(env.SERVICE_NAME).toBe("from-dotenv");
  });
  test("YAML errors name the file and line", () => {
    const cwd = project({ "config/deploy.yml": "service: app\nservers:\n  - 1.1.1.1\n   bad: [\n" });
    const error = errorOf(() => loadRawConfig({ cwd, env: {} }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/^config\/deploy\.yml:\d+: invalid YAML: /);
    expect(error.message.split("\n")).toHaveLength(1);
  });
  test("a file that is empty or not a hash", () => {
    const cwd = project({ "config/deploy.yml": "# nothing here\n", "config/deploy.list.yml": "- a\n" });
    expect(errorOf(() => loadRawConfig({ cwd, env: {} })).message)
      .toBe("config/deploy.yml: expected a hash of configuration keys (like `service: my-app`), found nothing");
    writeFileSync(join(cwd, "config/deploy.yml"), "service: app\n");
    expect(errorOf(() => loadRawConfig({ cwd, destination: "list", env: {} })).message)
      .toBe("config/deploy.list.yml: expected a hash of configuration keys (like `service: my-app`), found a list");
  });
  test("a file that is one string (a secrets file given to -c) is described, never echoed", () => {
    const cwd = project({ ".kamal/secrets": "KAMAL_REGISTRY_PASSWORD=hunter2-secret\n" });
    const error = errorOf(() => loadRawConfig({ cwd, configFile: ".kamal/secrets", env: {} }));
    expect(error.message)
      .toBe(".kamal/secrets: expected a hash of configuration keys (like `service: my-app`), found a single string (is this a YAML file?)");
    expect(error.message).not.toContain("hunter2");
  });
  test("deepMerge does not change its inputs", () => {
    const base = { a: { b: 1, c: [1] } };
    const merged = deepMerge(base, { a: { c: [2] } });
    expect(merged).toEqual({ a: { b: 1, c: [2] } });
    expect(base).toEqual({ a: { b: 1, c: [1] } });
  });
});

describe("YAML 1.1 as Psych loads it", () => {
  const load = (text: string) => parseYaml(text, "config/deploy.yml") as Record<string, unknown>;
  test("yes/no/on/off/true/false in any case are booleans; y/n stay strings; quoted stays a string", () => {
    expect(load("a: yes\nb: No\nc: ON\nd: off\ne: True\nf: FALSE\ng: yEs\nh: y\ni: n\nj: 'no'\nk: \"on\"")).toEqual({
      a: true, b: false, c: true, d: false, e: true, f: false, g: true, h: "y", i: "n", j: "no", k: "on",
    });
  });
  test("restart: no fails validation the way Kamal does", () => {
    const raw = load(`service: app\nimage: app\nregistry: { username: u, password: p }\nbuilder: { arch: amd64 }
servers:\n  web: { hosts: [1.1.1.1], options: { restart: no } }`);
    expect(validationProblems(raw)).toEqual(['servers/web/options/restart: should be a string. Use "no" to disable restarts']);
  });
  test("null, numbers, octal, floats, versions", () => {
    expect(load("a: ~\nb: null\nc:\nd: 3000\ne: 0755\nf: 08\ng: 0.5\nh: 3.4.1\ni: 1_000\nj: 0x1F\nk: 127.0.0.1:3306:3306\nl: -5")).toEqual({
      a: null, b: null, c: null, d: 3000, e: 493, f: "08", g: 0.5, h: "3.4.1", i: 1000, j: 31, k: "127.0.0.1:3306:3306", l: -5,
    });
  });
  test(":symbols become RubySymbol (to_s is the name); quoted ones stay strings", () => {
    const value = load("hooks_output: :verbose\nq: ':quiet'");
    expect(value.hooks_output).toBeInstanceOf(RubySymbol);
    expect(String(value.hooks_output)).toBe("verbose");
    expect((value.hooks_output as RubySymbol).inspect()).toBe(":verbose");
    expect(value.q).toBe(":quiet");
  });
  test("anchors, aliases and << merge keys (explicit keys win, earlier merge sources win)", () => {
    const value = load(`x-base: &base\n  hosts: [1.1.1.1]\n  cmd: bin/jobs\nx-more: &more\n  cmd: other\n  stop_timeout: 5
servers:\n  jobs:\n    <<: *base\n    cmd: bin/worker\n  web:\n    <<: [*base, *more]\n  tags: [ site1 experimental ]`);
    expect(value.servers).toEqual({
      jobs: { hosts: ["1.1.1.1"], cmd: "bin/worker" },
      web: { hosts: ["1.1.1.1"], cmd: "bin/jobs", stop_timeout: 5 },
      tags: ["site1 experimental"],
    });
  });
  test("an alias inside its own anchor is a one-line error with the line, not a stack overflow", () => {
    expect(errorOf(() => load("a: 1\nb: &x\n  c: *x")).message)
      .toBe("config/deploy.yml:3: the alias *x is inside its own anchor &x (a value cannot contain itself); use a copy instead");
    expect(errorOf(() => load("&top [*top]")).message).toStartWith("config/deploy.yml:1: the alias *top is inside its own anchor &top");
    expect(errorOf(() => load("m: &m\n  <<: *m")).message).toStartWith("config/deploy.yml:2: the alias *m is inside its own anchor &m");
    expect(load("a: &x [1]\nb: *x\nc: *x")).toEqual({ a: [1], b: [1], c: [1] }); // reuse without recursion still works
  });
  test("duplicate keys: the last one wins", () => {
    expect(load("a: 1\na: 2")).toEqual({ a: 2 });
  });
  test("explicit tags", () => {
    expect(load("a: !!str 5\nb: !!int '7'\nc: !!bool 'yes'")).toEqual({ a: "5", b: 7, c: true });
    expect(errorOf(() => load("a: 1\nb: !ruby/object:Foo {}")).message).toBe("config/deploy.yml:2: unsupported YAML tag !ruby/object:Foo");
  });
});
