// Mistakes a Kamal user can make, through the in-process CLI: each gives ONE line on stderr, a non-zero exit code,
// no stack trace and no secret.
import { afterEach, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { run, tempApp } from "./helpers.ts";

const SECRET = "s3cret-value-9f8e";
const BASE = `service: demo
image: acme/demo
servers:
  - 127.0.0.9
registry:
  username: acme
  password:
    - KAMAL_REGISTRY_PASSWORD
builder:
  arch: amd64
ssh:
  port: 1
`;

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

function app(files: Record<string, string> = {}): string {
  const made = tempApp({ "config/deploy.yml": BASE, ".kamal/secrets": `KAMAL_REGISTRY_PASSWORD=${SECRET}\n`, ...files });
  cleanups.push(made.cleanup);
  return made.dir;
}

/** Runs kamal (with a fixed --version, so no git repository is needed) and checks the one-line contract. */
async function oneLineError(dir: string, args: string[]): Promise<string> {
  const r = await run([...args, "--version", "v1"], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toContain(" at ");
  expect(r.stderr + r.stdout).not.toContain(SECRET);
  return lines[0];
}

describe("user errors print one line", () => {
  test("-c pointing at a directory says so and what to give instead", async () => {
    const dir = app();
    expect(await oneLineError(dir, ["config", "-c", "config"]))
      .toBe(`  ERROR (Kamal::ConfigurationError): Configuration file ${join(dir, "config")} is a directory; give -c the YAML file itself (default: config/deploy.yml)`);
  });

  test("a missing config file names the absolute path (Kamal's text)", async () => {
    const dir = app();
    expect(await oneLineError(dir, ["config", "-d", "nope"]))
      .toBe(`  ERROR (RuntimeError): Configuration file not found in ${join(dir, "config/deploy.nope.yml")}; create it for destination "nope", or check -d`);
  });

  test("ENV.fetch of an unset variable names the file and line", async () => {
    const dir = app({ "config/deploy.yml": BASE.replace("image: acme/demo", 'image: <%= ENV.fetch("IMAGE_NAME") %>') });
    expect(await oneLineError(dir, ["config"])).toBe(
      '  ERROR (KeyError): key not found: "IMAGE_NAME" (ENV.fetch in config/deploy.yml:2; set IMAGE_NAME in the environment or give ENV.fetch a default)',
    );
  });

  test("a directory where .kamal/secrets should be is an error, not an empty secrets list", async () => {
    const dir = app();
    rmSync(join(dir, ".kamal/secrets"));
    mkdirSync(join(dir, ".kamal/secrets"));
    expect(await oneLineError(dir, ["secrets", "print"]))
      .toBe("  ERROR (Kamal::ConfigurationError): .kamal/secrets is a directory, not a secrets file; write the secrets as NAME=value lines in a file there");
  });

  test("ssh/port that is not a number is named before any connection is tried", async () => {
    const dir = app({ "config/deploy.yml": BASE.replace("port: 1", "port: twenty-two") });
    expect(await oneLineError(dir, ["lock", "status"]))
      .toBe('  ERROR (Kamal::ConfigurationError): ssh/port: "twenty-two" is not a port number; use a whole number from 1 to 65535');
  });

  test("a pre-connect hook that is not executable is named with the chmod that fixes it", async () => {
    const dir = app({ ".kamal/hooks/pre-connect": "#!/bin/sh\nexit 0\n" });
    chmodSync(join(dir, ".kamal/hooks/pre-connect"), 0o644);
    expect(await oneLineError(dir, ["lock", "status"])).toBe(
      "  ERROR (Kamal::Cli::HookError): Hook `pre-connect` is not executable: .kamal/hooks/pre-connect; make it so with: chmod +x .kamal/hooks/pre-connect",
    );
  });

  test("an unreachable host names the host and the address", async () => {
    const dir = app();
    expect(await oneLineError(dir, ["lock", "status"]))
      .toBe("  ERROR (Errno::ECONNREFUSED): Exception while executing on host 127.0.0.9: Connection refused - connect(2) for 127.0.0.9:1");
  });

  test("--hosts and --roles that match nothing", async () => {
    const dir = app();
    expect(await oneLineError(dir, ["lock", "status", "-h", "10.9.9.9"])).toBe("  ERROR (ArgumentError): No --hosts match for 10.9.9.9");
    expect(await oneLineError(dir, ["lock", "status", "-r", "nope"])).toBe("  ERROR (ArgumentError): No --roles match for nope");
  });

  test("YAML syntax errors and wrong types name the file/line or the key", async () => {
    expect(await oneLineError(app({ "config/deploy.yml": "service: demo\nimage: [acme\n" }), ["config"]))
      .toMatch(/^ {2}ERROR \(Kamal::ConfigurationError\): config\/deploy\.yml:\d+: invalid YAML: /);
    expect(await oneLineError(app({ "config/deploy.yml": BASE.replace("port: 1", "port: 1\n  keys: 5") }), ["config"]))
      .toBe("  ERROR (Kamal::ConfigurationError): ssh/keys: should be an array");
  });

  test("unknown command, unknown option, missing required option", async () => {
    const dir = app();
    expect(await oneLineError(dir, ["frobnicate"])).toBe('Could not find command "frobnicate".');
    expect(await oneLineError(dir, ["config", "--frobnicate"])).toBe("Unknown option '--frobnicate'");
    expect(await oneLineError(dir, ["lock", "acquire"])).toBe("No value provided for required options '--message'");
  });

  test("unreadable config and secrets files name the file and the fix (run as an unprivileged user)", () => {
    const dir = app();
    chmodSync(dir, 0o755);
    for (const sub of ["config", ".kamal"]) chmodSync(join(dir, sub), 0o755);
    // root reads anything, so as root the CLI runs as nobody (setpriv, util-linux); otherwise as ourselves.
    const main = join(import.meta.dir, "../../src/main.ts");
    const asUser = process.getuid?.() === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
    const kamal = (args: string[]) => {
      const [file, ...rest] = [...asUser, process.execPath, main, ...args, "--version", "v1"];
      const r = spawnSync(file!, rest, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir }, encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toContain(SECRET);
      return r.stderr.trim();
    };
    chmodSync(join(dir, "config/deploy.yml"), 0o000);
    expect(kamal(["config"])).toBe("ERROR (Kamal::ConfigurationError): Cannot read the configuration file config/deploy.yml: permission denied; check its owner and mode (ls -l)");
    chmodSync(join(dir, "config/deploy.yml"), 0o644);
    chmodSync(join(dir, ".kamal/secrets"), 0o000);
    expect(kamal(["secrets", "print"])).toBe("ERROR (Kamal::ConfigurationError): Cannot read the secrets file .kamal/secrets: permission denied; check its owner and mode (ls -l)");
  });
});
