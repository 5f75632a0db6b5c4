// The deploy lock over real SSH: concurrent acquires, status/release, --lock-wait against a running bootstrap.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createApp, kamal, onHost, type App } from "./support.ts";
import { waitFor } from "./testbed/proc.ts";

let app: App & { version: string };
beforeAll(async () => {
  // docker-setup (run by `server bootstrap` while it holds the automatic lock) signals it started, then holds on for 4 s.
  app = await createApp("itlock", { files: { ".kamal/hooks/docker-setup": "#!/bin/sh\ntouch \"$PWD/setup-started\"\nsleep 4\n" } });
});
afterAll(async () => {
  if (app) await kamal(app, ["lock", "release"]);
  app?.cleanup();
});

describe("deploy lock on the testbed", () => {
  test("two concurrent acquires: exactly one wins, the other prints the holder's details", async () => {
    const [a, b] = await Promise.all([
      kamal(app, ["lock", "acquire", "-m", "first"]),
      kamal(app, ["lock", "acquire", "-m", "second"]),
    ]);
    const results = [a, b].sort((x, y) => x.code - y.code);
    expect(results.map((r) => r.code)).toEqual([0, 1]);
    const [winner, loser] = results;
    expect(winner.stdout).toContain("Acquired the deploy lock");
    const winnerMessage = winner === a ? "first" : "second";
    expect(loser.stdout).toContain(
      `Deploy lock already in place!\nLocked by: Deployer at `,
    );
    expect(loser.stdout).toContain(`Version: ${app.version}\nMessage: ${winnerMessage}\n`);
    expect(loser.stderr).toContain("ERROR (Kamal::Cli::LockError): Deploy lock found. Run 'kamal lock help' for more information");

    const status = await kamal(app, ["lock", "status"]);
    expect(status.stdout).toMatch(new RegExp(`^Locked by: Deployer at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\nVersion: ${app.version}\\nMessage: ${winnerMessage}\\n$`));
    // The lock is a directory on the primary host only.
    const [primary, other] = app.state.hosts;
    expect((await onHost(app.state, primary, "test -d .kamal/lock-itlock")).code).toBe(0);
    expect((await onHost(app.state, other, "test -d .kamal/lock-itlock")).code).not.toBe(0);

    expect((await kamal(app, ["lock", "release"])).stdout).toContain("Released the deploy lock");
    expect((await kamal(app, ["lock", "status"])).stdout).toBe("There is no deploy lock\n");
    expect((await kamal(app, ["lock", "release"])).stdout).toBe("There is no deploy lock\n");
  }, 60_000);

  test("--lock-wait refuses to wait for a manual lock", async () => {
    expect((await kamal(app, ["lock", "acquire", "-m", "manual"])).code).toBe(0);
    const r = await kamal(app, ["lock", "acquire", "-m", "waiter", "--lock-wait", "--lock-wait-interval", "1"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Deploy lock is held by:\nLocked by: Deployer");
    expect(r.stderr).toContain("Deploy lock held manually, not waiting");
    expect((await kamal(app, ["lock", "release"])).code).toBe(0);
  }, 60_000);

  test("--lock-wait waits for an automatic lock (a running bootstrap), then acquires", async () => {
    const bootstrap = kamal(app, ["server", "bootstrap"]);
    await waitFor("the docker-setup hook to start", 30_000, async () => existsSync(join(app.dir, "setup-started")), 100);
    const waiter = await kamal(app, ["lock", "acquire", "-m", "after bootstrap", "--lock-wait", "--lock-wait-interval", "1", "--lock-wait-timeout", "30"]);
    const boot = await bootstrap;
    expect(boot.code).toBe(0);
    expect(waiter.code).toBe(0);
    expect(waiter.stdout).toContain("Acquiring the deploy lock (waiting up to 30s)...\nDeploy lock is held by:\nLocked by: Deployer");
    expect(waiter.stdout).toContain("Message: Automatic deploy lock\n");
    expect(waiter.stdout).toMatch(/Retrying in 1s \(\d+s remaining\)\.\.\./);
    expect(waiter.stdout).toContain("Acquired the deploy lock");
    expect(waiter.seconds).toBeGreaterThan(2);
    expect((await kamal(app, ["lock", "status"])).stdout).toContain("Message: after bootstrap");
    expect((await kamal(app, ["lock", "release"])).code).toBe(0);
  }, 90_000);
});
