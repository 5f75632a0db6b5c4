import { describe, expect, test } from "bun:test";
import { Logger, Redactor, shouldColor, StringWriter, stripAnsi } from "../../src/output/index.ts";

const make = (verbosity: "debug" | "info" | "error" = "info", color = false) => {
  const out = new StringWriter();
  return { out, logger: new Logger({ out, verbosity, color, redactor: new Redactor(["t0p-s3cret"]) }) };
};

describe("Logger", () => {
  test("SSHKit pretty lines at info", () => {
    const { out, logger } = make();
    logger.commandStarted({ id: "1a2b3c4d", host: "1.1.1.1", command: "docker ps" });
    logger.commandOutput("1a2b3c4d", "stdout", "CONTAINER ID\n");
    logger.commandFinished("1a2b3c4d", 0.2, 0);
    expect(out.text).toBe(
      "  INFO [1a2b3c4d] Running docker ps on 1.1.1.1\n  INFO [1a2b3c4d] Finished in 0.200 seconds with exit status 0 (successful).\n",
    );
  });
  test("-v adds Command: and output lines; local commands say as user@localhost", () => {
    const { out, logger } = make("debug");
    logger.commandStarted({ id: "ab", host: "localhost", user: "me", command: "git rev-parse HEAD" });
    logger.commandOutput("ab", "stdout", "abc123");
    logger.commandOutput("ab", "stderr", "warning");
    logger.commandFinished("ab", 1.5, 1);
    expect(out.text).toBe(
      [
        "  INFO [ab] Running git rev-parse HEAD as me@localhost",
        " DEBUG [ab] Command: git rev-parse HEAD",
        " DEBUG [ab] \tabc123",
        " DEBUG [ab] \twarning",
        "  INFO [ab] Finished in 1.500 seconds with exit status 1 (failed).",
        "",
      ].join("\n"),
    );
  });
  test("-q shows only errors, but say still prints", () => {
    const { out, logger } = make("error");
    logger.commandStarted({ id: "ab", host: "h", command: "x" });
    logger.info("hidden");
    logger.warn("hidden too");
    logger.error("shown");
    logger.say("Acquiring the deploy lock...", "magenta");
    expect(out.text).toBe(" ERROR shown\nAcquiring the deploy lock...\n");
  });
  test("per-host output, with and without header", () => {
    const { out, logger } = make();
    logger.putsByHost("1.1.1.1", "app-web-123");
    logger.putsByHost("1.1.1.2", "x", { type: "Accessory mysql" });
    logger.putsByHost("1.1.1.3", "y", { quiet: true });
    expect(out.text).toBe("App Host: 1.1.1.1\napp-web-123\n\nAccessory mysql Host: 1.1.1.2\nx\n\ny\n\n");
  });
  test("colours only when enabled; magenta/yellow/red say", () => {
    const plain = make();
    plain.logger.say("Aborted", "red");
    expect(plain.out.text).toBe("Aborted\n");
    const colored = make("info", true);
    colored.logger.say("Aborted", "red");
    colored.logger.say("Lock", "magenta");
    colored.logger.say("careful", "yellow");
    expect(colored.out.text).toBe("\x1b[31mAborted\x1b[39m\n\x1b[35mLock\x1b[39m\n\x1b[33mcareful\x1b[39m\n");
    expect(stripAnsi(colored.out.text)).toBe("Aborted\nLock\ncareful\n");
  });
  test("shouldColor: TTY and no NO_COLOR", () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({}, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });
  test("secrets are redacted in every kind of line", () => {
    const { out, logger } = make("debug");
    logger.commandStarted({ id: "ab", host: "h", command: "echo t0p-s3cret" });
    logger.commandOutput("ab", "stdout", "t0p-s3cret");
    logger.say("value t0p-s3cret");
    logger.putsByHost("h", "t0p-s3cret");
    logger.writeRaw("raw t0p-s3cret");
    logger.error("err t0p-s3cret");
    expect(out.text).not.toContain("t0p-s3cret");
    expect(out.text.match(/\[REDACTED\]/g)?.length).toBe(7);
  });
  test("tee writers get uncoloured copies; withVerbosity shares the redactor", () => {
    const out = new StringWriter();
    const file = new StringWriter();
    const logger = new Logger({ out, color: true, tee: [file] });
    logger.say("hi", "red");
    const dbg = logger.withVerbosity("debug");
    dbg.redactor.add("abcdef");
    logger.say("abcdef");
    dbg.debug("visible");
    expect(file.text).toBe("hi\n[REDACTED]\n DEBUG visible\n");
  });
});
