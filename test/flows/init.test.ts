import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { initApp } from "../../src/flows/init.ts";

const HOOKS = ["docker-setup", "post-app-boot", "post-deploy", "post-proxy-reboot", "pre-app-boot", "pre-build", "pre-connect", "pre-deploy", "pre-proxy-reboot"];
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "kamal-init-")); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe("kamal init", () => {
  test("creates config/deploy.yml, .kamal/secrets and the sample hooks", () => {
    expect(initApp({ cwd: dir })).toEqual([
      "Created configuration file in config/deploy.yml",
      "Created .kamal/secrets file",
      "Created sample hooks in .kamal/hooks",
    ]);
    const config = parse(readFileSync(join(dir, "config/deploy.yml"), "utf8"));
    expect(config).toEqual({
      service: "my-app", image: "my-user/my-app", servers: { web: ["192.168.0.1"] },
      proxy: { ssl: true, host: "app.example.com" }, registry: { server: "localhost:5555" }, builder: { arch: "amd64" },
    });
    expect(readFileSync(join(dir, ".kamal/secrets"), "utf8")).toContain("kamal secrets fetch --adapter 1password");
    expect(readdirSync(join(dir, ".kamal/hooks")).sort()).toEqual(HOOKS.map((h) => `${h}.sample`));
  });

  test("the commented examples uncomment into valid YAML with the documented keys", () => {
    initApp({ cwd: dir });
    const text = readFileSync(join(dir, "config/deploy.yml"), "utf8");
    const uncommented = text.split("\n").map((l) => l.replace(/^# ([a-z_]+:.*|\s+[a-zA-Z_]+:.*|\s+- .*)$/, "$1")).join("\n");
    const config = parse(uncommented);
    expect(Object.keys(config).sort()).toEqual(
      ["accessories", "aliases", "asset_path", "boot", "builder", "env", "image", "proxy", "registry", "servers", "service", "ssh", "volumes"],
    );
    expect(config.aliases).toEqual({ shell: 'app exec --interactive --reuse "bash"' });
    expect(config.accessories.db.image).toBe("mysql:8.0");
    expect(config.accessories.redis.image).toBe("valkey/valkey:8");
    expect(config.env).toEqual({ clear: { DB_HOST: "192.168.0.2" }, secret: ["RAILS_MASTER_KEY"] });
    expect(config.boot).toEqual({ limit: 10, wait: 2 });
  });

  test("sample hooks are executable POSIX sh scripts", () => {
    initApp({ cwd: dir });
    for (const hook of HOOKS) {
      const path = join(dir, ".kamal/hooks", `${hook}.sample`);
      expect(statSync(path).mode & 0o777).toBe(0o755);
      expect(readFileSync(path, "utf8").startsWith("#!/bin/sh\n")).toBe(true);
      const check = spawnSync("/bin/sh", ["-n", path], { encoding: "utf8" });
      expect(check.stderr).toBe("");
      expect(check.status).toBe(0);
    }
  });

  test("never overwrites: existing config, secrets and hooks directory are kept", () => {
    mkdirSync(join(dir, "config"));
    writeFileSync(join(dir, "config/deploy.yml"), "service: mine\n");
    mkdirSync(join(dir, ".kamal/hooks"), { recursive: true });
    writeFileSync(join(dir, ".kamal/secrets"), "A=1\n");
    expect(initApp({ cwd: dir })).toEqual(["Config file already exists in config/deploy.yml (remove first to create a new one)"]);
    expect(readFileSync(join(dir, "config/deploy.yml"), "utf8")).toBe("service: mine\n");
    expect(readFileSync(join(dir, ".kamal/secrets"), "utf8")).toBe("A=1\n");
    expect(readdirSync(join(dir, ".kamal/hooks"))).toEqual([]);
  });

  test("--bundle runs bundle add and binstubs, unless bin/kamal exists", () => {
    const ran: string[][] = [];
    const printed: string[] = [];
    const messages = initApp({ cwd: dir, bundle: true, runLocal: (argv) => ran.push(argv), print: (l) => printed.push(l) });
    expect(messages.slice(3)).toEqual(["Adding Kamal to Gemfile and bundle...", "Created binstub file in bin/kamal"]);
    expect(printed).toEqual(messages);
    expect(ran).toEqual([["bundle", "add", "kamal"], ["bundle", "binstubs", "kamal"]]);
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin/kamal"), "");
    expect(initApp({ cwd: dir, bundle: true, runLocal: () => { throw new Error("must not run"); } })).toEqual([
      "Config file already exists in config/deploy.yml (remove first to create a new one)",
      "Binstub already exists in bin/kamal (remove first to create a new one)",
    ]);
  });
});

describe("pre-build sample hook, in a real git repository", () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd, encoding: "utf8" }).trim();

  test("passes for a pushed clean HEAD, fails when dirty or not pushed", () => {
    initApp({ cwd: dir });
    const hook = join(dir, ".kamal/hooks/pre-build.sample");
    const remote = join(dir, "remote.git");
    const app = join(dir, "app");
    git(dir, "init", "-q", "--bare", remote);
    git(dir, "init", "-q", "-b", "main", app);
    writeFileSync(join(app, "f"), "1");
    git(app, "add", "f");
    git(app, "commit", "-q", "-m", "one");
    const head = git(app, "rev-parse", "HEAD");
    const run = () => spawnSync(hook, [], { cwd: app, env: { ...process.env, KAMAL_VERSION: head }, encoding: "utf8" });

    expect(run().stderr).toContain("has no remote");
    git(app, "remote", "add", "origin", remote);
    git(app, "push", "-q", "-u", "origin", "main");
    const ok = run();
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    writeFileSync(join(app, "f"), "2");
    expect(run().stderr).toContain("Uncommitted changes");
    git(app, "commit", "-q", "-am", "two");
    const unpushed = spawnSync(hook, [], { cwd: app, env: { ...process.env, KAMAL_VERSION: git(app, "rev-parse", "HEAD") }, encoding: "utf8" });
    expect(unpushed.status).toBe(1);
    expect(unpushed.stderr).toContain("push or pull first");
  });
});

describe("pre-connect sample hook", () => {
  test("warns about hosts that do not resolve, and only about those", () => {
    initApp({ cwd: dir });
    const hook = join(dir, ".kamal/hooks/pre-connect.sample");
    // A stand-in resolver on PATH keeps the test off the network: it knows localhost only, like an /etc/hosts lookup.
    const bin = join(dir, "resolver-bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "getent"), '#!/bin/sh\n[ "$2" = localhost ] && echo "127.0.0.1 localhost" && exit 0\nexit 2\n', { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, KAMAL_HOSTS: "localhost,no-such-host.invalid" };
    const result = spawnSync(hook, [], { env, encoding: "utf8", timeout: 20_000 });
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe("Could not resolve no-such-host.invalid");
  }, 30_000);
});
