import { afterEach, describe, expect, test } from "bun:test";
import { HostError } from "../../src/exec/index.ts";
import { audit, auditCommand } from "../../src/flows/audit.ts";
import { fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());

describe("audit", () => {
  test("records a line with the default tags and details (no version/service tags)", async () => {
    f = fixture();
    await audit(f.ctx, "1.1.1.1", "Booted app version 999", { role: "web" });
    expect(f.runner.lines()).toEqual([
      "1.1.1.1: mkdir -p .kamal && echo '[2024-05-01T10:00:00Z] [deployer@example.com] [web] Booted app version 999' >> .kamal/app-audit.log",
    ]);
    expect(f.out.text).toBe(""); // audit commands stay hidden unless -v
  });

  test("kamal audit: the last 50 lines of every selected host, per host", async () => {
    f = fixture({ filters: { hosts: ["1.1.1.1", "1.1.1.3"] } });
    f.runner.respond("tail -n 50 .kamal/app-audit.log", (_c, host) => ({ stdout: `[t] [me] line on ${host}\n` }));
    await auditCommand(f.ctx);
    expect(f.runner.lines().sort()).toEqual(["1.1.1.1: tail -n 50 .kamal/app-audit.log", "1.1.1.3: tail -n 50 .kamal/app-audit.log"]);
    expect(f.out.text).toContain("App Host: 1.1.1.1\n[t] [me] line on 1.1.1.1\n\n");
    expect(f.out.text).toContain("App Host: 1.1.1.3\n[t] [me] line on 1.1.1.3\n\n");
  });

  test("kamal audit is fail-slow: the other hosts print, the error names the failing host", async () => {
    f = fixture();
    f.runner.respond("tail", { stdout: "ok\n" }).respond("tail", { code: 1, stderr: "tail: cannot open" }, "1.1.1.2");
    const err = await auditCommand(f.ctx).catch((e) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err.message).toStartWith("Exception while executing on host 1.1.1.2: tail -n 50 .kamal/app-audit.log exit status: 1");
    expect(f.out.text).toContain("App Host: 1.1.1.1\nok\n");
    expect(f.out.text).toContain("App Host: 1.1.1.3\nok\n");
  });
});
