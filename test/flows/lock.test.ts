import { afterEach, describe, expect, test } from "bun:test";
import { LockError } from "../../src/errors.ts";
import { lockAcquireCommand, lockReleaseCommand, lockStatusCommand, withLock } from "../../src/flows/lock.ts";
import { fixture, type Fixture } from "./context-fixture.ts";

const HELD = { code: 1, stderr: "mkdir: cannot create directory '.kamal/lock-app': File exists" };
const MISSING_STAT = { code: 1, stderr: "stat: cannot statx '.kamal/lock-app': No such file or directory" };
const AUTOMATIC = "Locked by: Other at 2024-05-01T09:00:00Z\nVersion: 888\nMessage: Automatic deploy lock";
const MANUAL = "Locked by: Other at 2024-05-01T09:00:00Z\nVersion: 888\nMessage: Hands off";

let f: Fixture;
afterEach(() => f?.cleanup());

const decodeDetails = (line: string): string => Buffer.from(/echo (\S+) >/.exec(line)![1], "base64").toString("utf8");

describe("kamal lock", () => {
  test("acquire: mkdir -p .kamal on every host, then the lock on the primary host only", async () => {
    f = fixture();
    await lockAcquireCommand(f.ctx, "Integration Tests");
    expect(f.runner.lines("1.1.1.1")).toEqual(["mkdir -p .kamal", expect.stringMatching(/^mkdir \.kamal\/lock-app && echo \S+ > \.kamal\/lock-app\/details$/)]);
    expect(f.runner.lines("1.1.1.2")).toEqual(["mkdir -p .kamal"]);
    expect(f.runner.lines("1.1.1.3")).toEqual(["mkdir -p .kamal"]);
    expect(decodeDetails(f.runner.lines("1.1.1.1")[1])).toBe("Locked by: Deployer at 2024-05-01T10:00:00Z\nVersion: 999\nMessage: Integration Tests");
    expect(f.out.text).toContain("Acquired the deploy lock\n");
  });

  test("acquire when held: prints the holder and raises LockError", async () => {
    f = fixture();
    f.runner.respond(/^mkdir \.kamal\/lock-app/, HELD).respond(/^stat /, { stdout: MANUAL });
    const err = await lockAcquireCommand(f.ctx, "mine").catch((e) => e);
    expect(err).toBeInstanceOf(LockError);
    expect(err.message).toBe("Deploy lock found. Run 'kamal lock help' for more information");
    expect(f.out.text).toContain(`Deploy lock already in place!\n${MANUAL}\n`);
    expect(f.out.text).not.toContain("Acquired");
  });

  test("other acquire failures are not mistaken for a held lock", async () => {
    f = fixture();
    f.runner.respond(/^mkdir \.kamal\/lock-app/, { code: 1, stderr: "mkdir: cannot create directory: Permission denied" });
    f.runner.respond(/^mkdir \.kamal\/lock-app/, { code: 1, stderr: "No space left on device" });
    const err = await lockAcquireCommand(f.ctx, "mine").catch((e) => e);
    expect(err).not.toBeInstanceOf(LockError);
    expect(err.message).toContain("No space left on device");
  });

  test("a mkdir that fails while no lock directory exists (permissions) is an error, not a held lock", async () => {
    f = fixture();
    f.runner.respond(/^mkdir \.kamal\/lock-app/, { code: 1, stderr: "mkdir: cannot create directory '.kamal/lock-app': Permission denied" });
    f.runner.respond(/^test -d \.kamal\/lock-app$/, { code: 1 });
    const err = await lockAcquireCommand(f.ctx, "mine").catch((e) => e);
    expect(err).not.toBeInstanceOf(LockError);
    expect(err.message).toContain("Permission denied");
    expect(f.out.text).not.toContain("Deploy lock already in place!");
    expect(f.runner.lines("1.1.1.1")).toContain("test -d .kamal/lock-app");
  });

  test("status with and without a lock", async () => {
    f = fixture();
    f.runner.respond(/^stat /, { stdout: MANUAL + "\n" });
    await lockStatusCommand(f.ctx);
    expect(f.out.text).toBe(MANUAL + "\n");
    expect(f.runner.lines()).toEqual(["1.1.1.1: stat .kamal/lock-app > /dev/null && cat .kamal/lock-app/details | base64 -d"]);
    f.runner.respond(/^stat /, MISSING_STAT);
    await lockStatusCommand(f.ctx);
    expect(f.out.text).toEndWith("There is no deploy lock\n");
  });

  test("release with and without a lock", async () => {
    f = fixture();
    await lockReleaseCommand(f.ctx);
    expect(f.runner.lines()).toEqual(["1.1.1.1: rm .kamal/lock-app/details && rm -r .kamal/lock-app"]);
    expect(f.out.text).toBe("Released the deploy lock\n");
    f.runner.respond(/^rm /, { code: 1, stderr: "rm: cannot remove '.kamal/lock-app/details': No such file or directory" });
    await lockReleaseCommand(f.ctx);
    expect(f.out.text).toEndWith("There is no deploy lock\n");
  });

  test("the lock lives on the primary host of the selection", async () => {
    f = fixture({ filters: { roles: ["workers"] } });
    await lockAcquireCommand(f.ctx, "x");
    expect(f.runner.lines("1.1.1.3")[1]).toStartWith("mkdir .kamal/lock-app &&");
    expect(f.runner.lines("1.1.1.1")).toEqual([]);
  });
});

describe("--lock-wait", () => {
  test("polls while an automatic lock is held, then acquires", async () => {
    f = fixture({ options: { lockWait: true, lockWaitTimeout: 10, lockWaitInterval: 2 } });
    let attempts = 0;
    f.runner.respond(/^mkdir \.kamal\/lock-app/, () => (++attempts < 3 ? HELD : {}));
    f.runner.respond(/^stat /, { stdout: AUTOMATIC });
    await lockAcquireCommand(f.ctx, "mine");
    expect(attempts).toBe(3);
    expect(f.clock.sleeps).toEqual([2000, 2000]);
    expect(f.out.text).toBe([
      "Acquiring the deploy lock (waiting up to 10s)...",
      "Deploy lock is held by:",
      AUTOMATIC,
      "Retrying in 2s (10s remaining)...",
      "Retrying in 2s (8s remaining)...",
      "Acquired the deploy lock",
      "",
    ].join("\n"));
  });

  test("refuses to wait for a lock held manually", async () => {
    f = fixture({ options: { lockWait: true, lockWaitTimeout: 10, lockWaitInterval: 2 } });
    f.runner.respond(/^mkdir \.kamal\/lock-app/, HELD).respond(/^stat /, { stdout: MANUAL });
    const err = await lockAcquireCommand(f.ctx, "mine").catch((e) => e);
    expect(err).toBeInstanceOf(LockError);
    expect(err.message).toBe("Deploy lock held manually, not waiting. Run 'kamal lock help' for more information");
    expect(f.clock.sleeps).toEqual([]);
  });

  test("times out", async () => {
    f = fixture({ options: { lockWait: true, lockWaitTimeout: 5, lockWaitInterval: 2 } });
    f.runner.respond(/^mkdir \.kamal\/lock-app/, HELD).respond(/^stat /, { stdout: AUTOMATIC });
    const err = await lockAcquireCommand(f.ctx, "mine").catch((e) => e);
    expect(err.message).toBe("Timed out waiting for deploy lock");
    expect(f.clock.sleeps).toEqual([2000, 2000, 1000]);
    expect(f.out.text).toContain("Retrying in 2s (1s remaining)...\nTimed out after 5s waiting for the deploy lock\n");
  });
});

describe("withLock (modify lock: true)", () => {
  test("acquires the automatic lock, runs, releases", async () => {
    f = fixture();
    const seen: boolean[] = [];
    await withLock(f.ctx, async () => { seen.push(f.ctx.state.holdingLock); });
    expect(seen).toEqual([true]);
    expect(f.ctx.state.holdingLock).toBe(false);
    const primary = f.runner.lines("1.1.1.1");
    expect(decodeDetails(primary[1])).toEndWith("Message: Automatic deploy lock");
    expect(primary[2]).toBe("rm .kamal/lock-app/details && rm -r .kamal/lock-app");
    expect(f.out.text).toContain("Acquiring the deploy lock...\n");
    expect(f.out.text).toContain("Releasing the deploy lock...\n");
  });

  test("re-entrant: a nested withLock does not lock again", async () => {
    f = fixture();
    await withLock(f.ctx, () => withLock(f.ctx, async () => undefined));
    expect(f.runner.lines("1.1.1.1").filter((l) => l.startsWith("mkdir .kamal/lock-app"))).toHaveLength(1);
  });

  test("releases when the work fails, and re-raises", async () => {
    f = fixture();
    const err = await withLock(f.ctx, async () => { throw new Error("boom"); }).catch((e) => e);
    expect(err.message).toBe("boom");
    expect(f.runner.lines("1.1.1.1").at(-1)).toBe("rm .kamal/lock-app/details && rm -r .kamal/lock-app");
  });

  test("reports a failed release after a failure and keeps the original error", async () => {
    f = fixture();
    f.runner.respond(/^rm /, { code: 1, stderr: "Permission denied" });
    const err = await withLock(f.ctx, async () => { throw new Error("boom"); }).catch((e) => e);
    expect(err.message).toBe("boom");
    expect(f.out.text).toContain("Error releasing the deploy lock: ");
  });

  test("KAMAL_LOCK=true (a kamal inside a hook) assumes the lock is held", async () => {
    f = fixture({ env: { KAMAL_LOCK: "true" } });
    await withLock(f.ctx, async () => undefined);
    expect(f.runner.lines()).toEqual([]);
  });
});
