import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync as makeDir, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandFailed, CommandRunner, CommandTimedOut, LocalTransport, RecordingRunner, LOCALHOST } from "../../src/exec/index.ts";
import { Logger, Redactor, StringWriter } from "../../src/output/index.ts";
import { and, cmd, docker, secret, sh } from "../../src/shell/index.ts";
import { countedChunks, failingStream } from "./stream-stdin-chunks.ts";

const dirs: string[] = [];
const mkdtempSync = (prefix: string): string => { const d = makeDir(prefix); dirs.push(d); return d; };
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function localRunner(verbosity: "debug" | "info" | "error" = "debug") {
  const out = new StringWriter();
  const logger = new Logger({ out, verbosity, redactor: new Redactor() });
  return { runner: new CommandRunner(new LocalTransport({ env: { PATH: process.env.PATH } }), logger), out, logger };
}

describe("CommandRunner over local processes", () => {
  test("run returns stdout/stderr/code and logs Running/Command/output/Finished", async () => {
    const { runner, out } = localRunner();
    const r = await runner.run(LOCALHOST, sh(and(cmd("echo", "hello world"), cmd("sh", "-c", "echo oops >&2"))));
    expect(r).toEqual({ stdout: "hello world\n", stderr: "oops\n", code: 0 });
    const lines = out.text.split("\n");
    expect(lines[0]).toMatch(/^  INFO \[[0-9a-f]{8}\] Running sh -c .* as \S+@localhost$/);
    expect(lines[1]).toMatch(/^ DEBUG \[[0-9a-f]{8}\] Command: sh -c/);
    expect(out.text).toContain("\thello world\n");
    expect(out.text).toContain("\toops\n");
    expect(out.text).toMatch(/  INFO \[[0-9a-f]{8}\] Finished in \d+\.\d{3} seconds with exit status 0 \(successful\)\.\n$/);
  });

  test("non-zero exit throws CommandFailed with Kamal's message, secrets redacted everywhere", async () => {
    const { runner, out } = localRunner();
    const c = sh(and(cmd("echo", "token", secret("s3cr3t-value")), cmd("sh", "-c", "echo bad s3cr3t-value >&2; exit 3")));
    const err = (await runner.run(LOCALHOST, c).catch((e) => e)) as CommandFailed;
    expect(err).toBeInstanceOf(CommandFailed);
    expect(err.code).toBe(3);
    const shown = "sh -c 'echo token [REDACTED] && sh -c '\\''echo bad s3cr3t-value >&2; exit 3'\\'''";
    expect(err.message).toBe(`${shown} exit status: 3\n${shown} stdout: token [REDACTED]\n${shown} stderr: bad [REDACTED]`.replace(/s3cr3t-value/g, "[REDACTED]"));
    expect(err.message).not.toContain("s3cr3t-value");
    expect(out.text).not.toContain("s3cr3t-value");
    expect(out.text).toContain("exit status 3 (failed)");
  });

  test("empty output reads 'Nothing written'", async () => {
    const { runner } = localRunner();
    const err = await runner.run(LOCALHOST, cmd("false")).catch((e) => e);
    expect(err.message).toBe("false exit status: 1\nfalse stdout: Nothing written\nfalse stderr: Nothing written");
  });

  test("capture strips, test is a boolean, exec never throws", async () => {
    const { runner } = localRunner("info");
    expect(await runner.capture(LOCALHOST, cmd("printf", "  abc \n\n"))).toBe("abc");
    expect(await runner.test(LOCALHOST, cmd("true"))).toBe(true);
    expect(await runner.test(LOCALHOST, cmd("false"))).toBe(false);
    expect((await runner.exec(LOCALHOST, cmd("sh", "-c", "exit 7"))).code).toBe(7);
  });

  test("stdin, cwd, env, streaming callbacks", async () => {
    const { runner } = localRunner("error");
    const dir = mkdtempSync(join(tmpdir(), "kamal-local-"));
    const chunks: string[] = [];
    const r = await runner.run(LOCALHOST, sh(cmd("sh", "-c", 'cat; pwd; echo "$GREETING"')), {
      stdin: "in\n", cwd: dir, env: { GREETING: "hi" }, onStdout: (c) => chunks.push(c),
    });
    expect(r.stdout).toBe(`in\n${dir}\nhi\n`);
    expect(chunks.join("")).toBe(r.stdout);
  });

  test("stdin streamed to a local command, read as the command consumes it", async () => {
    const { runner } = localRunner("error");
    const big = countedChunks(32, 1024 * 1024);
    expect((await runner.capture(LOCALHOST, cmd("wc", "-c"), { stdin: big.stream }))).toBe(String(32 * 1024 * 1024));
    const early = countedChunks(64, 1024 * 1024);
    await runner.run(LOCALHOST, sh(cmd("sh", "-c", "head -c 1 >/dev/null")), { stdin: early.stream });
    expect(early.produced()).toBeLessThan(16);
    early.stream.destroy();
    const err = await runner.run(LOCALHOST, cmd("cat"), { stdin: failingStream() }).catch((e) => e);
    expect((err as Error).message).toBe("disk gone");
  });

  test("onStdoutBytes gets binary output unchanged", async () => {
    const { runner } = localRunner("error");
    const chunks: Uint8Array[] = [];
    await runner.run(LOCALHOST, cmd("printf", "\\377\\000\\001"), { onStdoutBytes: (b) => chunks.push(b) });
    expect([...Buffer.concat(chunks)]).toEqual([255, 0, 1]);
  });

  test("timeout kills the command", async () => {
    const { runner } = localRunner("error");
    const t0 = Date.now();
    const err = await runner.run(LOCALHOST, cmd("sleep", "5"), { timeoutMs: 200 }).catch((e) => e);
    expect(err).toBeInstanceOf(CommandTimedOut);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  test("debug-level commands are hidden at default verbosity; -q hides everything but errors", async () => {
    const a = localRunner("info");
    await a.runner.run(LOCALHOST, cmd("true"), { level: "debug" });
    expect(a.out.text).toBe("");
    await a.runner.run(LOCALHOST, cmd("true"));
    expect(a.out.text).toContain("Running true");
    const q = localRunner("error");
    await q.runner.run(LOCALHOST, cmd("echo", "x"));
    expect(q.out.text).toBe("");
  });

  test("upload writes the file with the mode", async () => {
    const { runner } = localRunner("error");
    const dir = mkdtempSync(join(tmpdir(), "kamal-local-"));
    const path = join(dir, "sub", "env");
    await runner.upload(LOCALHOST, "A=1\n", path, 0o600);
    expect(readFileSync(path, "utf8")).toBe("A=1\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe("RecordingRunner", () => {
  test("records rendered lines and answers scripted results", async () => {
    const r = new RecordingRunner();
    r.respond("docker ps", { stdout: "abc123\n" });
    r.respond(/mkdir/, { code: 1, stderr: "mkdir: cannot create directory '.kamal/lock': File exists" }, "h1");
    expect(await r.capture("h1", docker("ps", "-q"))).toBe("abc123");
    await r.run("h2", cmd("mkdir", ".kamal/lock"));
    const err = await r.run("h1", cmd("mkdir", ".kamal/lock")).catch((e) => e);
    expect(err.message).toMatch(/cannot create directory/);
    await r.upload("h1", "S=1", ".kamal/apps/x/env/roles/web.env", 0o600);
    expect(r.lines()).toEqual(["h1: docker ps -q", "h2: mkdir .kamal/lock", "h1: mkdir .kamal/lock"]);
    expect(r.lines("h1")).toEqual(["docker ps -q", "mkdir .kamal/lock"]);
    expect(r.uploads).toEqual([{ host: "h1", path: ".kamal/apps/x/env/roles/web.env", content: "S=1", mode: 0o600 }]);
  });
  test("the recorded line has secrets in clear, the log does not", async () => {
    const r = new RecordingRunner();
    await r.run("h1", docker("login", "-p", secret("pa55word")));
    expect(r.lines("h1")).toEqual(["docker login -p pa55word"]);
    expect(r.output.text).toContain("Running docker login -p [REDACTED] on h1");
    expect(r.output.text).not.toContain("pa55word");
  });
});

describe("log levels of capture (SSHKit: debug; capture_with_info: info)", () => {
  test("capture is hidden at default verbosity unless level info is asked for", async () => {
    const { runner, out } = localRunner("info");
    await runner.capture(LOCALHOST, cmd("echo", "quiet"));
    expect(out.text).toBe("");
    await runner.capture(LOCALHOST, cmd("echo", "loud"), { level: "info" });
    expect(out.text).toContain("Running echo loud as ");
  });
});

describe("onHosts/onRoles on the runner", () => {
  test("delegate to the fail-slow helpers", async () => {
    const r = new RecordingRunner().respond("false", { code: 1 }, "h2");
    const err = await r.onHosts(["h1", "h2"], (h) => r.run(h, cmd("false"))).catch((e) => e);
    expect(err.message).toBe("Exception while executing on host h2: false exit status: 1\nfalse stdout: Nothing written\nfalse stderr: Nothing written");
    const seen: string[] = [];
    await r.onRoles([{ name: "web", hosts: ["h1"] }], ["h1"], async (h, role) => { seen.push(`${h}:${role.name}`); });
    expect(seen).toEqual(["h1:web"]);
  });
});

describe("withVerbosity", () => {
  test("shares the transport, logs at the other level", async () => {
    const out = new StringWriter();
    const r = new RecordingRunner(new Logger({ out, verbosity: "info" }));
    await r.run("h1", cmd("echo", "a"));
    await r.withVerbosity("debug").run("h1", cmd("echo", "b"));
    expect(r.lines("h1")).toEqual(["echo a", "echo b"]);
    expect(out.text).not.toContain("Command: echo a");
    expect(out.text).toContain("Command: echo b");
  });
});

test("the local user shown in progress lines is $USER (then $LOGNAME), as SSHKit shows it", () => {
  expect(new LocalTransport({ env: { USER: "deployer", LOGNAME: "other" } }).displayUser()).toBe("deployer");
  expect(new LocalTransport({ env: { LOGNAME: "other" } }).displayUser()).toBe("other");
});
