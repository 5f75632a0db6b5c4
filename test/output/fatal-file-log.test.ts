import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LockError } from "../../src/errors.ts";
import { CommandFailed } from "../../src/exec/errors.ts";
import { FileLog, Logger, Redactor, StringWriter, fatalLine, logFileName } from "../../src/output/index.ts";

describe("fatal errors", () => {
  test("Kamal's ERROR (<Class>): <message> line", () => {
    expect(fatalLine(new LockError("Deploy lock found"))).toBe("  ERROR (Kamal::Cli::LockError): Deploy lock found");
    expect(fatalLine(new CommandFailed("h", "false", 1, "", ""))).toStartWith("  ERROR (SSHKit::Command::Failed): false exit status: 1");
    expect(fatalLine(new TypeError("x"))).toBe("  ERROR (TypeError): x");
  });
  test("Logger.fatal writes red to err, redacted, stack only when verbose", () => {
    const out = new StringWriter();
    const err = new StringWriter();
    const logger = new Logger({ out, err, color: true, redactor: new Redactor(["pa55word"]) });
    logger.fatal(new Error("login with pa55word failed"));
    expect(out.text).toBe("");
    expect(err.text).toBe("\x1b[31m  ERROR (Error): login with [REDACTED] failed\x1b[39m\n");
    logger.fatal(new Error("again"), { verbose: true });
    expect(err.text).toContain("at ");
  });
});

describe("FileLog", () => {
  test("file name from time, destination, command, subcommand", () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    expect(logFileName(at, { command: "deploy" })).toBe("2026-01-02T03-04-05_deploy.log");
    expect(logFileName(at, { command: "app", subcommand: "boot", destination: "staging" })).toBe("2026-01-02T03-04-05_staging_app_boot.log");
  });
  test("receives Logger output as a tee, redacted, with the closing line", () => {
    const dir = mkdtempSync(join(tmpdir(), "kamal-log-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const redactor = new Redactor(["s3cr3t!"]);
    const file = new FileLog(join(dir, "logs"), new Date(2026, 0, 2, 3, 4, 5), { command: "deploy" }, redactor);
    const logger = new Logger({ out: new StringWriter(), color: true, tee: [file], redactor });
    logger.say("Acquiring the deploy lock...", "magenta");
    logger.info("token s3cr3t!");
    file.finish(12.34, new LockError("Deploy lock found"));
    const text = readFileSync(file.path, "utf8");
    expect(file.path).toEndWith("logs/2026-01-02T03-04-05_deploy.log");
    expect(text).toBe("Acquiring the deploy lock...\n  INFO token [REDACTED]\n# FAILED: Kamal::Cli::LockError: Deploy lock found (12.3s)\n");
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
  });
});
