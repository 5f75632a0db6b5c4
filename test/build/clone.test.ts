// The local build clone (src/build/clone.ts, reference §5a) against real git repositories in temp directories.
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clonePaths, prepareClone, type ClonePaths } from "../../src/build/clone.ts";
import { cloneRepo, cloneRevision, cloneStatus, resetClone } from "../../src/commands/clone.ts";
import { BuildError } from "../../src/errors.ts";
import { CommandRunner, LocalTransport } from "../../src/exec/index.ts";
import { Logger, Redactor, StringWriter } from "../../src/output/index.ts";
import { renderCmd } from "../../src/shell/index.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@example.com" };
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8" }).trim();

function commit(repo: string, file: string, content: string): string {
  mkdirSync(join(repo, file, ".."), { recursive: true });
  writeFileSync(join(repo, file), content);
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", `change ${file}`);
  return git(repo, "rev-parse", "HEAD");
}

let repo = "";
let temp = "";
let out: StringWriter;
let runner: CommandRunner;
let logger: Logger;

beforeEach(() => {
  repo = join(tempDir("kamal-clone-src-"), "my app");
  mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  temp = tempDir("kamal-clone-tmp-");
  out = new StringWriter();
  logger = new Logger({ out, verbosity: "info", redactor: new Redactor() });
  runner = new CommandRunner(new LocalTransport({ env: { PATH: process.env.PATH ?? "" } }), logger);
});

describe("commands", () => {
  test("clone, reset, status and revision, quoted by the one renderer", () => {
    expect(renderCmd(cloneRepo("/tmp/kamal-clones/app-0123456789abc", "/src/my app"))).toBe(
      "git -C /tmp/kamal-clones/app-0123456789abc clone '/src/my app' --recurse-submodules",
    );
    expect(resetClone("/b", "/src/app", "abc").map((c) => renderCmd(c))).toEqual([
      "git -C /b remote set-url origin /src/app", "git -C /b fetch origin", "git -C /b reset --hard abc", "git -C /b clean -fdx",
      "git -C /b submodule update --init", "git -C /b gc --auto --quiet",
    ]);
    expect(renderCmd(cloneStatus("/b"))).toBe("git -C /b status --porcelain");
    expect(renderCmd(cloneRevision("/b"))).toBe("git -C /b rev-parse HEAD");
  });

  test("paths: the repository's folder inside the clone directory, the subdirectory kept", () => {
    expect(clonePaths("/tmp/kamal-clones/app-0123456789abc", "/src/app/web", "/src/app")).toEqual({
      cloneDirectory: "/tmp/kamal-clones/app-0123456789abc", buildDirectory: "/tmp/kamal-clones/app-0123456789abc/app/web", gitRoot: "/src/app",
    });
  });
});

describe("prepareClone", () => {
  const cloneDirectory = () => join(temp, "kamal-clones", "app-0123456789abc");
  const paths = (): ClonePaths => clonePaths(cloneDirectory(), repo, repo);

  test("a first build clones the committed state only", async () => {
    const sha = commit(repo, "Dockerfile", "FROM scratch\n");
    writeFileSync(join(repo, "uncommitted.txt"), "not built");
    await prepareClone(runner, logger, paths(), sha);
    const build = paths().buildDirectory;
    expect(readFileSync(join(build, "Dockerfile"), "utf8")).toBe("FROM scratch\n");
    expect(existsSync(join(build, "uncommitted.txt"))).toBe(false);
    expect(out.text).toContain(`Cloning repo into build directory \`${build}\`...`);
  });

  test("an existing clone is reset to the new HEAD, stray files and all", async () => {
    await prepareClone(runner, logger, paths(), commit(repo, "Dockerfile", "FROM scratch\n"));
    writeFileSync(join(paths().buildDirectory, "stray.txt"), "left over");
    const second = commit(repo, "app.txt", "v2");
    await prepareClone(runner, logger, paths(), second);
    expect(git(paths().buildDirectory, "rev-parse", "HEAD")).toBe(second);
    expect(existsSync(join(paths().buildDirectory, "stray.txt"))).toBe(false);
    expect(out.text).toContain("Resetting local clone as");
    expect(out.text).not.toContain("deleting and retrying");
  });

  test("a broken clone is deleted and cloned again", async () => {
    await prepareClone(runner, logger, paths(), commit(repo, "Dockerfile", "FROM scratch\n"));
    rmSync(join(paths().buildDirectory, ".git"), { recursive: true });
    const sha = commit(repo, "app.txt", "v2");
    await prepareClone(runner, logger, paths(), sha);
    expect(git(paths().buildDirectory, "rev-parse", "HEAD")).toBe(sha);
    expect(out.text).toMatch(/Error preparing clone: Failed to clone repo: .*, deleting and retrying\.\.\./s);
  });

  test("running from a subdirectory builds that subdirectory of the clone", async () => {
    const sha = commit(repo, "web/Dockerfile", "FROM scratch\n");
    const sub = clonePaths(cloneDirectory(), join(repo, "web"), repo);
    await prepareClone(runner, logger, sub, sha);
    expect(sub.buildDirectory.endsWith(join("my app", "web"))).toBe(true);
    expect(readFileSync(join(sub.buildDirectory, "Dockerfile"), "utf8")).toBe("FROM scratch\n");
  });

  test("a clone that can't reach the revision fails twice, then raises one clear error", async () => {
    commit(repo, "Dockerfile", "FROM scratch\n");
    const missing = "0123456789abcdef0123456789abcdef01234567";
    const failure = await prepareClone(runner, logger, paths(), missing).then(() => null, (e: unknown) => e);
    expect(failure).toBeInstanceOf(BuildError);
    expect((failure as BuildError).message).toMatch(/^Clone in .* is not on the correct revision, expected `0123456789abcdef0123456789abcdef01234567` but got `[0-9a-f]{40}`$/);
    expect(out.text).toContain("deleting and retrying");
  });

  test("not a repository at all: Failed to clone repo", async () => {
    const notRepo = tempDir("kamal-not-a-repo-");
    const failure = await prepareClone(runner, logger, clonePaths(cloneDirectory(), notRepo, notRepo), "abc").then(() => null, (e: unknown) => e);
    expect(failure).toBeInstanceOf(BuildError);
    expect((failure as BuildError).message).toStartWith("Failed to clone repo: ");
  });
});
