// The app version from a real git repository in a temp dir (Kamal's git_version rules).
import { afterAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.ts";

const root = mkdtempSync(join(tmpdir(), "kamal-version-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" }).trim();
}

function project(name: string, builder: string, withGit = true): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "config"), { recursive: true });
  mkdirSync(join(dir, ".kamal"), { recursive: true });
  writeFileSync(join(dir, "config", "deploy.yml"),
    `service: app\nimage: acme/app\nservers: [h1]\nregistry: { username: u, password: [PW] }\nbuilder:\n  arch: amd64\n${builder}`);
  writeFileSync(join(dir, ".kamal", "secrets"), "PW=pw\n");
  if (withGit) { git(dir, "init", "-q"); git(dir, "add", "-A"); git(dir, "commit", "-qm", "one"); }
  return dir;
}

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

describe("version", () => {
  test("clean repo: HEAD sha", () => {
    const dir = project("clean", "  context: .\n");
    expect(loadConfig({ cwd: dir, env }).version).toBe(git(dir, "rev-parse", "HEAD"));
  });

  test("dirty tree with context '.': sha + _uncommitted_<16 hex>, memoized", () => {
    const dir = project("dirty", "  context: .\n");
    writeFileSync(join(dir, "new-file"), "x");
    const config = loadConfig({ cwd: dir, env });
    expect(config.version).toMatch(new RegExp(`^${git(dir, "rev-parse", "HEAD")}_uncommitted_[0-9a-f]{16}$`));
    expect(config.version).toBe(config.version);
    expect(config.abbreviatedVersion).toBe(config.version);
  });

  test("dirty tree with a git clone build (no context): plain sha", () => {
    const dir = project("clone", "");
    writeFileSync(join(dir, "new-file"), "x");
    const config = loadConfig({ cwd: dir, env });
    expect(config.builder.gitClone).toBe(true);
    expect(config.version).toBe(git(dir, "rev-parse", "HEAD"));
  });

  test("--version wins, then $VERSION", () => {
    const dir = project("explicit", "");
    expect(loadConfig({ cwd: dir, env: { ...env, VERSION: "from-env" }, version: "cli" }).version).toBe("cli");
    expect(loadConfig({ cwd: dir, env: { ...env, VERSION: "from-env" } }).version).toBe("from-env");
  });

  test("withVersion: a copy with another version; the original keeps its own", () => {
    const dir = project("with-version", "");
    const config = loadConfig({ cwd: dir, env });
    const other = config.withVersion("v1");
    expect(other.version).toBe("v1");
    expect(other.absoluteImage).toBe(`${config.repository}:v1`);
    expect(other.roles[0]!.containerName(other.version)).toBe(`${config.service}-web-v1`);
    expect(config.version).toBe(git(dir, "rev-parse", "HEAD"));
  });

  test("no git repository: Kamal's RuntimeError", () => {
    const dir = project("nogit", "  context: .\n", false);
    const config = loadConfig({ cwd: dir, env: { ...env, GIT_CEILING_DIRECTORIES: root } });
    expect(() => config.version).toThrow(
      `Can't use commit hash as version, no git repository found in ${dir}; run kamal inside the app's git repository, or give --version (or VERSION)`,
    );
  });
});
