import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ArgumentError, KamalError } from "../../src/errors.ts";
import { HostError } from "../../src/exec/index.ts";
import { serverBootstrap, serverExec, spawnInteractive } from "../../src/flows/server.ts";
import { fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());

const AUDIT = (cmd: string, host: string) =>
  `mkdir -p .kamal && echo '[2024-05-01T10:00:00Z] [deployer@example.com] Executed cmd '\\''${cmd}'\\'' on ${host}' >> .kamal/app-audit.log`;

describe("server exec", () => {
  test("audits and runs the command on every selected host, output per host", async () => {
    f = fixture();
    f.runner.respond("uname -a", (_c, host) => ({ stdout: `Linux ${host}\n` }));
    expect(await serverExec(f.ctx, ["uname", "-a"])).toBe(0);
    for (const host of ["1.1.1.1", "1.1.1.2", "1.1.1.3"]) {
      expect(f.runner.lines(host)).toEqual([AUDIT("uname -a", host), "uname -a"]);
      expect(f.out.text).toContain(`App Host: ${host}\nLinux ${host}\n\n`);
    }
    expect(f.out.text).toStartWith("Running 'uname -a' on 1.1.1.1, 1.1.1.2, 1.1.1.3...\n");
  });

  test("the words are one shell line for the remote shell (pipes work as typed)", async () => {
    f = fixture({ filters: { primary: true } });
    await serverExec(f.ctx, ["ls | wc -l"]);
    expect(f.runner.lines("1.1.1.1")[1]).toBe("ls | wc -l");
  });

  test("fail-slow: other hosts finish and print, the error names the failed host", async () => {
    f = fixture();
    f.runner.respond("hostname", (_c, host) => ({ stdout: host + "\n" }));
    f.runner.respond("hostname", new Error("connection lost"), "1.1.1.2");
    const err = await serverExec(f.ctx, ["hostname"]).catch((e) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err.message).toBe("Exception while executing on host 1.1.1.2: connection lost");
    expect(f.out.text).toContain("App Host: 1.1.1.1\n1.1.1.1\n");
    expect(f.out.text).toContain("App Host: 1.1.1.3\n1.1.1.3\n");
  });

  test("--raw writes the bytes with no header or progress line", async () => {
    f = fixture({ filters: { primary: true } });
    f.runner.respond("cat f", { stdout: "abc\n\n" });
    await serverExec(f.ctx, ["cat", "f"], { raw: true });
    expect(f.raw.text).toBe("abc\n\n");
    expect(f.out.text).not.toContain("App Host");
    expect(f.out.text).not.toContain("Running 'cat f'");
  });

  test("-q drops the host header", async () => {
    f = fixture({ filters: { primary: true }, options: { quiet: true } });
    f.runner.respond("date", { stdout: "today\n" });
    await serverExec(f.ctx, ["date"]);
    expect(f.out.text).not.toContain("App Host");
    expect(f.out.text).toContain("today\n");
  });

  test("-i runs ssh -t on the primary host", async () => {
    f = fixture();
    const calls: string[][] = [];
    const code = await serverExec(f.ctx, ["bash"], { interactive: true }, (argv) => { calls.push(argv); return 7; });
    expect(code).toBe(7);
    expect(calls).toEqual([["ssh", "-t", "root@1.1.1.1", "-p", "22", "bash"]]);
    expect(f.out.text).toBe("Running 'bash' on 1.1.1.1 interactively...\n");
    expect(f.runner.lines()).toEqual([]);
  });

  test("-i: the interactive program's exit code is returned; a missing ssh client is one clear error", () => {
    expect(spawnInteractive(["sh", "-c", "exit 5"])).toBe(5);
    expect(() => spawnInteractive(["/nonexistent/ssh", "-t", "host"]))
      .toThrow("Cannot start /nonexistent/ssh for the interactive session: not found on PATH; install the OpenSSH client");
  });

  test("argument errors", async () => {
    f = fixture();
    await expect(serverExec(f.ctx, [])).rejects.toBeInstanceOf(ArgumentError);
    await expect(serverExec(f.ctx, ["x"], { raw: true, interactive: true })).rejects.toBeInstanceOf(ArgumentError);
  });
});

describe("server bootstrap", () => {
  test("installs Docker where missing (as root), under the deploy lock, then runs docker-setup", async () => {
    f = fixture({ files: { ".kamal/hooks/docker-setup": "#!/bin/sh\nexit 0\n" } });
    f.runner.respond("docker -v", { code: 127, stderr: "docker: not found" }, "1.1.1.3");
    await serverBootstrap(f.ctx);
    const w3 = f.runner.lines("1.1.1.3");
    expect(w3).toContain("docker -v");
    expect(w3.some((l) => l.startsWith("sh -c 'curl -fsSL https://get.docker.com") && l.includes("apt-get install"))).toBe(true);
    expect(f.runner.lines("1.1.1.2").some((l) => l.includes("get.docker.com"))).toBe(false);
    expect(f.out.text).toContain("Missing Docker on 1.1.1.3. Installing…");
    const primary = f.runner.lines("1.1.1.1");
    expect(primary.filter((l) => l.startsWith("mkdir .kamal/lock-app"))).toHaveLength(1);
    expect(primary.at(-1)).toBe("rm .kamal/lock-app/details && rm -r .kamal/lock-app");
    // the hook ran locally (RecordingRunner records "localhost"), after the hosts, before the release
    const all = f.runner.lines();
    const hookAt = all.indexOf("localhost: /usr/bin/env .kamal/hooks/docker-setup");
    expect(hookAt).toBeGreaterThan(all.indexOf("1.1.1.3: mkdir -p .kamal"));
    expect(hookAt).toBeLessThan(all.length - 1);
  });

  test("hosts without Docker and without root access are reported together", async () => {
    f = fixture();
    f.runner.respond("docker -v", { code: 127 }, "1.1.1.2").respond("docker -v", { code: 127 }, "1.1.1.3");
    f.runner.respond("sudo -nl usermod", { code: 1 });
    const err = await serverBootstrap(f.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(KamalError);
    expect(err.message).toBe("Docker is not installed on 1.1.1.2, 1.1.1.3 and can't be automatically installed without having root access and either `wget` or `curl`. Install Docker manually: https://docs.docker.com/engine/install/");
    expect(f.runner.lines("1.1.1.1").at(-1)).toBe("rm .kamal/lock-app/details && rm -r .kamal/lock-app");
  });

  test("a non-root user is added to the docker group and the session refreshed", async () => {
    f = fixture({ filters: { primary: true } });
    f.runner.respond(/^\[ "\$\{EUID/, { code: 1 }).respond("grep -qw docker", { code: 1 });
    await serverBootstrap(f.ctx);
    const lines = f.runner.lines("1.1.1.1");
    expect(lines).toContain(`sudo -n usermod -aG docker "\${USER:-$(id -un)}"`);
    expect(lines).toContain("kill -HUP $PPID");
  });
});

test("fixture sanity: the temp app is real", () => {
  f = fixture();
  expect(readFileSync(join(f.dir, "config/deploy.yml"), "utf8")).toContain("service: app");
});
