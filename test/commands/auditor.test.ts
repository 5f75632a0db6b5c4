import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../src/shell/index.ts";
import { auditLine, recordAudit, revealAudit } from "../../src/commands/auditor.ts";

const app = { runDirectory: ".kamal", serviceAndDestination: "app" };
const base = { recorded_at: "2024-05-01T10:00:00Z", performer: "dhh@example.com", destination: undefined, version: "abc", service_version: "app@abc", service: "app" };

describe("auditor commands", () => {
  test("line: recorded_at and performer, without version/service tags", () => {
    expect(auditLine(base, "Booted app version abc")).toBe("[2024-05-01T10:00:00Z] [dhh@example.com] Booted app version abc");
  });

  test("line with destination and role details", () => {
    expect(auditLine({ ...base, destination: "staging", role: "web" }, "Booted app version abc123"))
      .toBe("[2024-05-01T10:00:00Z] [dhh@example.com] [staging] [web] Booted app version abc123");
  });

  test("record: mkdir -p .kamal, then append the quoted line", () => {
    expect(renderCmd(recordAudit({ runDirectory: ".kamal", serviceAndDestination: "app-staging" }, { ...base, destination: "staging" }, "Executed cmd 'ls' on 1.1.1.1")))
      .toBe(`mkdir -p .kamal && echo '[2024-05-01T10:00:00Z] [dhh@example.com] [staging] Executed cmd '\\''ls'\\'' on 1.1.1.1' >> .kamal/app-staging-audit.log`);
  });

  test("reveal: the last 50 lines", () => {
    expect(renderCmd(revealAudit(app))).toBe("tail -n 50 .kamal/app-audit.log");
  });
});
