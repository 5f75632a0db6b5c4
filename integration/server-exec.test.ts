// `kamal server exec` and `kamal audit` over real SSH against the docker-in-docker testbed hosts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp, kamal, onHost, restartHost, type App } from "./support.ts";

let app: App & { version: string };
beforeAll(async () => { app = await createApp("itexec"); });
afterAll(() => app?.cleanup());

describe("server exec on the testbed", () => {
  test("runs on all 3 hosts, prints per host, records the audit line on each", async () => {
    const r = await kamal(app, ["server", "exec", "cat /etc/hostname"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const ips = app.state.hosts.map((h) => h.ip);
    expect(r.stdout).toContain(`Running 'cat /etc/hostname' on ${ips.join(", ")}...`);
    for (const h of app.state.hosts) expect(r.stdout).toContain(`App Host: ${h.ip}\n${h.name}\n\n`);
    for (const h of app.state.hosts) {
      const log = await onHost(app.state, h, "cat .kamal/itexec-audit.log");
      expect(log.stdout).toMatch(new RegExp(`^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\] \\[deployer@example\\.com\\] Executed cmd 'cat /etc/hostname' on ${h.ip.replace(/\./g, "\\.")}$`, "m"));
    }
  });

  test("kamal audit shows every host's log", async () => {
    const r = await kamal(app, ["audit"]);
    expect(r.code).toBe(0);
    for (const h of app.state.hosts) expect(r.stdout).toContain(`App Host: ${h.ip}\n[`);
    expect(r.stdout).toContain("Executed cmd 'cat /etc/hostname' on");
  });

  test("--raw -p writes only the primary host's bytes", async () => {
    const r = await kamal(app, ["server", "exec", "--raw", "-p", "printf 'a\\nb'"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("a\nb");
  });

  test("a host killed mid-run: the other two finish, the error names it, exit 1", async () => {
    const victim = app.state.hosts[1];
    const running = kamal(app, ["server", "exec", "sleep 3; hostname"]);
    await Bun.sleep(1500);
    const kill = Bun.spawnSync(["docker", "kill", victim.container]);
    expect(kill.exitCode).toBe(0);
    try {
      const r = await running;
      expect(r.code).toBe(1);
      for (const h of app.state.hosts.filter((x) => x !== victim)) expect(r.stdout).toContain(`App Host: ${h.ip}\n${h.name}\n`);
      expect(r.stdout).not.toContain(`App Host: ${victim.ip}`);
      expect(r.stderr).toContain(`ERROR (SSHKit::Command::Failed): Exception while executing on host ${victim.ip}: sleep 3; hostname exit status: 255`);
      expect(r.seconds).toBeLessThan(15);
    } finally {
      await restartHost(app.state, victim);
    }
    const again = await kamal(app, ["server", "exec", "-h", victim.ip, "hostname"]);
    expect(again.stdout).toContain(`App Host: ${victim.ip}\n${victim.name}`);
  }, 90_000);
});
