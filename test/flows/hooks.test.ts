// Hooks run for real (local processes) through the runner's local transport.
import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { HookError } from "../../src/errors.ts";
import { CommandRunner, LocalTransport } from "../../src/exec/index.ts";
import { preConnect, runHook } from "../../src/flows/hooks.ts";
import { fixture, DEPLOY_YML, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());

const local = () => (logger: import("../../src/output/index.ts").Logger) => new CommandRunner(new LocalTransport(), logger);
const DUMP_ENV = "#!/bin/sh\nenv | grep -E '^(KAMAL_|DB_)' | sort > \"$(dirname \"$0\")/../../hook-env.txt\"\n";
const envFile = (f: Fixture): Record<string, string> =>
  Object.fromEntries(readFileSync(join(f.dir, "hook-env.txt"), "utf8").trim().split("\n").map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));

describe("hooks", () => {
  test("runs .kamal/hooks/<name> locally with every KAMAL_* variable", async () => {
    f = fixture({ files: { ".kamal/hooks/docker-setup": DUMP_ENV }, runner: local(), command: { command: "server", subcommand: "bootstrap" } });
    await runHook(f.ctx, "docker-setup");
    expect(envFile(f)).toEqual({
      KAMAL_COMMAND: "server",
      KAMAL_HOSTS: "1.1.1.1,1.1.1.2,1.1.1.3",
      KAMAL_LOCK: "false",
      KAMAL_PERFORMER: "deployer@example.com",
      KAMAL_RECORDED_AT: "2024-05-01T10:00:00Z",
      KAMAL_SERVICE: "app",
      KAMAL_SERVICE_VERSION: "app@999",
      KAMAL_SUBCOMMAND: "bootstrap",
      KAMAL_VERSION: "999",
    });
    expect(f.out.text).toMatch(/INFO \[\w+\] Running \/usr\/bin\/env \.kamal\/hooks\/docker-setup as \S+@localhost/);
  });

  test("KAMAL_ROLES with -r, KAMAL_HOSTS override, KAMAL_LOCK while locked, KAMAL_RUNTIME", async () => {
    f = fixture({ files: { ".kamal/hooks/post-deploy": DUMP_ENV }, runner: local(), filters: { roles: ["workers"] }, options: { roles: ["workers"] } });
    f.ctx.state.holdingLock = true;
    await runHook(f.ctx, "post-deploy", { hosts: ["9.9.9.9"], runtime: 12 });
    const env = envFile(f);
    expect(env.KAMAL_ROLES).toBe("workers");
    expect(env.KAMAL_HOSTS).toBe("9.9.9.9");
    expect(env.KAMAL_LOCK).toBe("true");
    expect(env.KAMAL_RUNTIME).toBe("12");
  });

  test("a failing hook aborts with its output shown", async () => {
    f = fixture({ files: { ".kamal/hooks/pre-connect": "#!/bin/sh\necho checking things\necho 'not today' >&2\nexit 3\n" }, runner: local() });
    const err = await preConnect(f.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.message).toBe(
      "Hook `pre-connect` failed:\n/usr/bin/env .kamal/hooks/pre-connect exit status: 3\n" +
      "/usr/bin/env .kamal/hooks/pre-connect stdout: checking things\n/usr/bin/env .kamal/hooks/pre-connect stderr: not today",
    );
  });

  test("a hook that is not executable fails with the chmod that fixes it, before anything runs", async () => {
    f = fixture({ files: { ".kamal/hooks/pre-connect": "#!/bin/sh\nexit 0\n" }, runner: local() });
    chmodSync(join(f.dir, ".kamal/hooks/pre-connect"), 0o644);
    const err = await preConnect(f.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.message).toBe("Hook `pre-connect` is not executable: .kamal/hooks/pre-connect; make it so with: chmod +x .kamal/hooks/pre-connect");
    expect(f.out.text).not.toContain("Running");
  });

  test("a directory in a hook's place is an error, not a silent skip", async () => {
    f = fixture({ files: { ".kamal/hooks/pre-connect/readme": "x" }, runner: local() });
    const err = await preConnect(f.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.message).toBe("Hook `pre-connect` is not a file: .kamal/hooks/pre-connect");
  });

  test("-H skips hooks; a missing hook is not an error", async () => {
    f = fixture({ files: { ".kamal/hooks/pre-connect": "#!/bin/sh\nexit 1\n" }, runner: local(), options: { skipHooks: true } });
    await preConnect(f.ctx);
    await runHook(f.ctx, "docker-setup");
    expect(f.out.text).toBe("");
  });

  test("pre-connect runs once per process and gets the secrets", async () => {
    const hook = "#!/bin/sh\necho run >> \"$(dirname \"$0\")/../../runs.txt\"\n" + DUMP_ENV.split("\n")[1] + "\n";
    f = fixture({ files: { ".kamal/hooks/pre-connect": hook, ".kamal/secrets": "DB_PASSWORD=hunter2\n" }, runner: local() });
    await preConnect(f.ctx);
    await preConnect(f.ctx);
    expect(readFileSync(join(f.dir, "runs.txt"), "utf8")).toBe("run\n");
    expect(envFile(f).DB_PASSWORD).toBe("hunter2");
  });

  test("secrets given to a hook never show in its failure message", async () => {
    f = fixture({ files: { ".kamal/hooks/pre-connect": "#!/bin/sh\necho \"leaking $DB_PASSWORD\"\nexit 1\n", ".kamal/secrets": "DB_PASSWORD=hunter2\n" }, runner: local() });
    const err = await preConnect(f.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.message).toContain("stdout: leaking [REDACTED]");
    expect(err.message).not.toContain("hunter2");
  });

  test("hooks_path from the configuration", async () => {
    f = fixture({ files: { "config/deploy.yml": DEPLOY_YML + "hooks_path: bin/hooks\n", "bin/hooks/docker-setup": "#!/bin/sh\ntouch ran\n" }, runner: local() });
    await runHook(f.ctx, "docker-setup");
    expect(existsSync(join(f.dir, "ran"))).toBe(true);
  });

  test("hooks_output: verbose shows the hook's output at default verbosity", async () => {
    f = fixture({ files: { "config/deploy.yml": DEPLOY_YML + "hooks_output: verbose\n", ".kamal/hooks/docker-setup": "#!/bin/sh\necho hello from the hook\n" }, runner: local() });
    await runHook(f.ctx, "docker-setup");
    expect(f.out.text).toContain("hello from the hook\n");
  });
});
