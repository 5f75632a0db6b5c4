// The Runner over real sshd: fail-slow with one host down, Kamal's error shapes, logging, secrets.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { CommandFailed, CommandRunner, MultipleHostErrors, HostError, SshPool, onHosts, rootCause } from "../../src/exec/index.ts";
import { Logger, Redactor, StringWriter } from "../../src/output/index.ts";
import { cmd, secret, sh } from "../../src/shell/index.ts";
import { startSshTestEnv, type SshTestEnv } from "./ssh-env.ts";

let env: SshTestEnv;
let pool: SshPool;
let runner: CommandRunner;
const out = new StringWriter();

beforeAll(async () => {
  env = await startSshTestEnv();
  pool = new SshPool({ port: env.front.port, keys: [env.key], keysOnly: true, config: false, agent: false, home: env.home,
    knownHostsFile: join(env.dir, "known_hosts_runner") });
  runner = new CommandRunner(pool, new Logger({ out, verbosity: "debug", redactor: new Redactor() }));
});
afterAll(async () => {
  await pool?.close();
  await env?.stop();
});

describe("fail-slow over SSH", () => {
  test("one host down: every other host finishes, the error names exactly that host", async () => {
    const finished: string[] = [];
    const hosts = ["127.0.0.2", "127.0.0.6", "127.0.0.3"]; // nothing listens on 127.0.0.6
    const err = await onHosts(hosts, async (h) => {
      const r = await runner.run(h, sh(cmd("sh", "-c", "sleep 0.3; echo finished")));
      finished.push(`${h}:${r.stdout.trim()}`);
    }).catch((e) => e);
    expect(finished.sort()).toEqual(["127.0.0.2:finished", "127.0.0.3:finished"]);
    expect(err).toBeInstanceOf(HostError);
    expect(err.message).toBe(`Exception while executing on host 127.0.0.6: Connection refused - connect(2) for 127.0.0.6:${env.front.port}`);
    expect(err.kind).toBe("Errno::ECONNREFUSED");
  });

  test("failures on several hosts: one aggregated error with each command failure, secrets redacted", async () => {
    const c = sh(cmd("sh", "-c", 'echo "using $0"; echo "no such container" >&2; exit 1', secret("hunter2-pw")));
    const err = await onHosts(["127.0.0.2", "127.0.0.3"], (h) => runner.run(h, c)).catch((e) => e);
    expect(err).toBeInstanceOf(MultipleHostErrors);
    const shown = `sh -c 'sh -c '\\''echo "using $0"; echo "no such container" >&2; exit 1'\\'' [REDACTED]'`;
    const each = (h: string) =>
      `Exception while executing on host ${h}: ${shown} exit status: 1\n${shown} stdout: using [REDACTED]\n${shown} stderr: no such container`;
    expect(err.message).toBe(`Exceptions on 2 hosts:\n${each("127.0.0.2")}\n${each("127.0.0.3")}`);
    expect(rootCause(err.errors[0])).toBeInstanceOf(CommandFailed);
    expect(out.text).not.toContain("hunter2-pw");
  });

  test("log lines name the host", async () => {
    await runner.run("127.0.0.2", cmd("echo", "hello"));
    expect(out.text).toMatch(/  INFO \[[0-9a-f]{8}\] Running echo hello on 127\.0\.0\.2\n DEBUG \[[0-9a-f]{8}\] Command: echo hello\n DEBUG \[[0-9a-f]{8}\] \thello\n  INFO \[[0-9a-f]{8}\] Finished in \d+\.\d{3} seconds with exit status 0 \(successful\)\.\n/);
  });

  test("capture and test over SSH", async () => {
    expect(await runner.capture("127.0.0.3", cmd("hostname", "-I"))).toBeString();
    expect(await runner.test("127.0.0.2", cmd("test", "-d", "/"))).toBe(true);
    expect(await runner.test("127.0.0.2", cmd("test", "-d", "/nonexistent"))).toBe(false);
  });
});
