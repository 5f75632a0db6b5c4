// Hooks around real remote commands: a failing pre-connect aborts before any SSH; -H skips it; KAMAL_* reach the hook.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApp, kamal, onHost, type App } from "./support.ts";

const PRE_CONNECT = `#!/bin/sh
env | grep ^KAMAL_ | sort > "$PWD/pre-connect.env"
if [ -f "$PWD/refuse" ]; then
  echo "refusing to connect to $KAMAL_HOSTS"
  echo "see the runbook" >&2
  exit 1
fi
`;

let app: App & { version: string };
beforeAll(async () => { app = await createApp("ithooks", { files: { ".kamal/hooks/pre-connect": PRE_CONNECT } }); });
afterAll(() => app?.cleanup());

describe("hooks on the testbed", () => {
  test("pre-connect gets every KAMAL_* variable", async () => {
    const r = await kamal(app, ["server", "exec", "-r", "web", "true"]);
    expect(r.code).toBe(0);
    const env = readFileSync(join(app.dir, "pre-connect.env"), "utf8");
    const ips = app.state.hosts.map((h) => h.ip).join(",");
    expect(env).toContain(`KAMAL_COMMAND=server\n`);
    expect(env).toContain(`KAMAL_SUBCOMMAND=exec\n`);
    expect(env).toContain(`KAMAL_HOSTS=${ips}\n`);
    expect(env).toContain(`KAMAL_ROLES=web\n`);
    expect(env).toContain(`KAMAL_LOCK=false\n`);
    expect(env).toContain(`KAMAL_PERFORMER=deployer@example.com\n`);
    expect(env).toContain(`KAMAL_SERVICE=ithooks\n`);
    expect(env).toContain(`KAMAL_VERSION=${app.version}\n`);
    expect(env).toContain(`KAMAL_SERVICE_VERSION=ithooks@${app.version.slice(0, 7)}\n`);
    expect(env).toMatch(/KAMAL_RECORDED_AT=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
  });

  test("a failing hook aborts with its output shown, before anything runs on the hosts", async () => {
    await Bun.write(join(app.dir, "refuse"), "");
    const marker = `never-run-${Date.now()}`;
    const r = await kamal(app, ["server", "exec", `echo ${marker}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ERROR (Kamal::Cli::HookError): Hook `pre-connect` failed:\n/usr/bin/env .kamal/hooks/pre-connect exit status: 1");
    expect(r.stderr).toContain(`stdout: refusing to connect to ${app.state.hosts.map((h) => h.ip).join(",")}`);
    expect(r.stderr).toContain("stderr: see the runbook");
    const log = await onHost(app.state, app.state.hosts[0], "cat .kamal/ithooks-audit.log");
    expect(log.stdout).not.toContain(marker);
  });

  test("-H skips the hook", async () => {
    const r = await kamal(app, ["server", "exec", "-H", "-p", "echo skipped"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("skipped");
  });
});
