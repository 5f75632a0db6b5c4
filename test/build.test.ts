// Compiles the real binary with scripts/build.ts (into a temp dir) and runs it like a user would: in an app
// directory, with a PATH that has git but no node and no bun.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const BUN = join(ROOT, "node_modules/.bin/bun");
const work = mkdtempSync(join(tmpdir(), "kamal-build-"));
const outdir = join(work, "dist");
const appDir = join(work, "app");
const binDir = join(work, "bin");
const kamal = join(outdir, "kamal");

function runBinary(file: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(file, args, { cwd: appDir, encoding: "utf8", env: { PATH: binDir, HOME: work, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  execFileSync(BUN, ["scripts/build.ts", "--outdir", outdir], { cwd: ROOT, stdio: "pipe" });
  // A PATH with git only: the binary must need neither node nor bun.
  mkdirSync(binDir);
  symlinkSync(execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim(), join(binDir, "git"));
  mkdirSync(join(appDir, "config"), { recursive: true });
  mkdirSync(join(appDir, ".kamal"));
  writeFileSync(join(appDir, "config/deploy.yml"),
    "service: demo\nimage: acme/demo\nservers:\n  - 10.0.0.1\nregistry:\n  server: registry.example.com\n  username: acme\n  password:\n    - KAMAL_REGISTRY_PASSWORD\nbuilder:\n  arch: amd64\n");
  writeFileSync(join(appDir, ".kamal/secrets"), "KAMAL_REGISTRY_PASSWORD=s3cret\n");
  // If the binary autoloaded these, VERSION would come from .env and the preload would leave a marker file.
  writeFileSync(join(appDir, ".env"), "VERSION=from-dotenv\n");
  writeFileSync(join(appDir, "bunfig.toml"), 'preload = ["./preload.ts"]\n');
  writeFileSync(join(appDir, "preload.ts"), `require("node:fs").writeFileSync(${JSON.stringify(join(work, "preloaded"))}, "yes");\n`);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: appDir, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "init");
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("compiled binary", () => {
  test("version prints package.json version + git sha injected at build time", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    expect(runBinary(kamal, ["version"])).toEqual({ code: 0, stdout: `${pkg.version}+${sha}\n`, stderr: "" });
  });

  test("config works in an app dir without node or bun, ignoring .env and bunfig.toml", () => {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: appDir, encoding: "utf8" }).trim();
    const r = runBinary(kamal, ["config"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("---\n:roles:\n- web\n:hosts:\n- 10.0.0.1\n:primary_host: 10.0.0.1\n");
    expect(r.stdout).toContain(`:version: ${head}\n`);
    expect(r.stdout).not.toContain("from-dotenv");
    expect(existsSync(join(work, "preloaded"))).toBe(false);
  });

  test("errors are one line and the exit code is 1", () => {
    expect(runBinary(kamal, ["proxy", "upgrade", "-y"])).toEqual({
      code: 1, stdout: "", stderr: "  ERROR (NotImplementedError): 'kamal proxy upgrade' is not implemented yet in this build\n",
    });
  });

  test("-v stack traces point at source files and lines (source map embedded), and only the binary is written", () => {
    const r = runBinary(kamal, ["config", "-c", "missing.yml", "-v"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^  ERROR \(RuntimeError\): Configuration file not found/);
    expect(r.stderr).toMatch(/\n  at .*\(src\/config\/load\.ts:\d+:\d+\)/);
    expect(readdirSync(outdir)).toEqual(["kamal"]);
  });

  test("invoked through a kamal-proxy symlink it is the proxy", () => {
    const link = join(work, "kamal-proxy");
    symlinkSync(kamal, link);
    const r = runBinary(link, ["version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("v0.9.2\n");
  });

  test("scripts/install.sh installs the real binary from a file:// release, kamal-proxy symlink included", () => {
    const rel = join(work, "release");
    mkdirSync(rel);
    copyFileSync(kamal, join(rel, "kamal-linux-x64"));
    const digest = createHash("sha256").update(readFileSync(kamal)).digest("hex");
    writeFileSync(join(rel, "kamal-linux-x64.sha256"), `${digest}  kamal-linux-x64\n`);
    const dest = join(work, "installed");
    const r = spawnSync("sh", [join(ROOT, "scripts/install.sh")], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work, KAMAL_INSTALL_BASE_URL: `file://${rel}`, KAMAL_INSTALL_DIR: dest, KAMAL_INSTALL_TARGET: "linux-x64" },
    });
    expect(r.stderr).toContain(`Checksum verified (${digest})`);
    expect(r.status).toBe(0);
    expect(runBinary(join(dest, "kamal-proxy"), ["version"]).stdout).toBe("v0.9.2\n");
    expect(runBinary(join(dest, "kamal"), ["version"]).code).toBe(0);
  });
});

describe("Deno compatibility", () => {
  test("`deno run -A src/main.ts config` prints the same as the compiled binary", () => {
    const deno = join(ROOT, "node_modules/.bin/deno");
    const app = join(work, "deno-app");
    // A multi-role fixture with env tags, accessories and secrets: exercises most of the config layer.
    execFileSync("cp", ["-r", join(ROOT, "test/fixtures/apps/multi-role"), app]);
    const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };
    for (const args of [["init", "-q"], ["add", "-A"], ["commit", "-qm", "init"]]) execFileSync("git", args, { cwd: app, stdio: "pipe", env });
    const viaDeno = spawnSync(deno, ["run", "-A", join(ROOT, "src/main.ts"), "config"], { cwd: app, encoding: "utf8", env: { PATH: process.env.PATH, HOME: work, DENO_NO_UPDATE_CHECK: "1" } });
    const viaBinary = spawnSync(kamal, ["config"], { cwd: app, encoding: "utf8", env: { PATH: binDir, HOME: work } });
    expect(viaBinary.status).toBe(0);
    expect(viaBinary.stdout).toContain(":roles:");
    expect({ code: viaDeno.status, stdout: viaDeno.stdout }).toEqual({ code: 0, stdout: viaBinary.stdout });
  }, 60_000);
});
