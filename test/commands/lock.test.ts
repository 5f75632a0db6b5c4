import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../src/shell/index.ts";
import { acquireLock, iso8601, lockDetails, lockDirExists, lockStatus, releaseLock } from "../../src/commands/lock.ts";

const app = { runDirectory: ".kamal", serviceAndDestination: "app" };
const staging = { runDirectory: ".kamal", serviceAndDestination: "app-staging" };

describe("lock commands", () => {
  test("details in Kamal's format", () => {
    expect(lockDetails("Deployer", new Date("2024-05-01T10:00:00.123Z"), "abc123", "Integration Tests"))
      .toBe("Locked by: Deployer at 2024-05-01T10:00:00Z\nVersion: abc123\nMessage: Integration Tests");
  });

  test("acquire: atomic mkdir, then the base64 details", () => {
    const details = "Locked by: Deployer at 2024-05-01T10:00:00Z\nVersion: 123\nMessage: Hi";
    const b64 = Buffer.from(details).toString("base64");
    expect(renderCmd(acquireLock(app, details))).toBe(`mkdir .kamal/lock-app && echo ${b64} > .kamal/lock-app/details`);
  });

  test("non-ASCII names stay shell-safe (base64) and decode back", () => {
    const line = renderCmd(acquireLock(app, "Locked by: Jöhn 'the' \"deployer\" $HOME"));
    const encoded = line.split(" ")[4];
    expect(encoded).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(encoded, "base64").toString("utf8")).toBe("Locked by: Jöhn 'the' \"deployer\" $HOME");
  });

  test("lock directory check", () => {
    expect(renderCmd(lockDirExists(staging))).toBe("test -d .kamal/lock-app-staging");
  });

  test("status", () => {
    expect(renderCmd(lockStatus(app))).toBe("stat .kamal/lock-app > /dev/null && cat .kamal/lock-app/details | base64 -d");
  });

  test("release", () => {
    expect(renderCmd(releaseLock(app))).toBe("rm .kamal/lock-app/details && rm -r .kamal/lock-app");
  });

  test("destination is part of the lock name", () => {
    expect(renderCmd(releaseLock(staging))).toBe("rm .kamal/lock-app-staging/details && rm -r .kamal/lock-app-staging");
  });

  test("iso8601 drops milliseconds", () => {
    expect(iso8601(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe("2026-01-02T03:04:05Z");
  });
});
