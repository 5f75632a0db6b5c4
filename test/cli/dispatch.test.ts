// Dispatch: help, unknown commands, aliases from deploy.yml, error reporting and exit codes.
import { afterAll, describe, expect, test } from "bun:test";
import { FIXTURE_APP, run, tempApp } from "./helpers.ts";
import { probeSetup } from "./probe.ts";

const app = tempApp(FIXTURE_APP);
afterAll(() => app.cleanup());

describe("help", () => {
  test("no arguments, `help`, `--help` and a lone -h print the command list", async () => {
    for (const args of [[], ["help"], ["--help"], ["-h"], ["-v"]]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("kamal deploy                # Deploy app to servers");
      expect(r.stdout).toContain("kamal app SUBCOMMAND");
      expect(r.stdout).toContain("-h, [--hosts=HOSTS]");
    }
  });

  test("help for a command and for a group", async () => {
    const deploy = await run(["help", "deploy"]);
    expect(deploy.stdout).toStartWith("Usage:\n  kamal deploy\n");
    expect(deploy.stdout).toContain("-P, [--skip-push], [--no-skip-push]  # Skip image build and push");
    expect((await run(["deploy", "--help"])).stdout).toBe(deploy.stdout);
    const group = await run(["app", "help"]);
    expect(group.stdout).toContain("kamal app exec [CMD...]");
    expect(group.stdout).not.toContain("remove_container"); // hidden
    expect((await run(["app"])).stdout).toBe(group.stdout);
    expect((await run(["help", "app"])).stdout).toBe(group.stdout);
    const sub = await run(["app", "help", "logs"]);
    expect(sub.stdout).toStartWith("Usage:\n  kamal app logs\n");
    expect((await run(["help", "app", "logs"])).stdout).toBe(sub.stdout);
    expect((await run(["app", "logs", "--help"])).stdout).toBe(sub.stdout);
  });

  test("for exec, --help after CMD belongs to CMD", async () => {
    const { setup, calls } = probeSetup();
    expect((await run(["app", "exec", "-i", "--help"], { setup })).stdout).toStartWith("Usage:\n  kamal app exec [CMD...]\n");
    expect(calls).toHaveLength(0);
    expect((await run(["app", "exec", "ls", "--help"], { setup })).code).toBe(0);
    expect(calls[0].params).toEqual({ cmd: ["ls", "--help"] });
  });
});

describe("unknown commands and aliases", () => {
  test("unknown command, not an alias", async () => {
    expect(await run(["frobnicate"], { cwd: app.dir })).toEqual({ code: 1, stdout: "", stderr: `Could not find command "frobnicate".\n` });
    expect(await run(["app", "frobnicate"])).toEqual({ code: 1, stdout: "", stderr: `Could not find command "frobnicate" in "app" namespace.\n` });
  });

  test("an alias re-dispatches with the extra arguments appended", async () => {
    const { setup, calls } = probeSetup();
    const r = await run(["shell", "-r", "workers", "--version", "v2"], { cwd: app.dir, setup });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(calls.length).toBe(1);
    expect(calls[0].path).toEqual(["app", "exec"]);
    expect(calls[0].params).toEqual({ cmd: ["bash -l"] });
    expect(calls[0].options).toMatchObject({ interactive: true, reuse: true });
    expect(calls[0].ctx.global.roles).toEqual(["workers"]);
    expect(calls[0].ctx.global.version).toBe("v2");
  });

  test("aliases come from the config file given by -c", async () => {
    const other = tempApp({ "deploy/other.yml": "service: x\naliases:\n  go: rollback v7\n" });
    try {
      const { setup, calls } = probeSetup();
      expect((await run(["go", "-c", "deploy/other.yml"], { cwd: other.dir, setup })).code).toBe(0);
      expect(calls[0].params).toEqual({ version: "v7" });
      expect((await run(["go"], { cwd: other.dir, setup })).stderr).toBe(`Could not find command "go".\n`);
    } finally {
      other.cleanup();
    }
  });

  test("unique abbreviations of commands work (Thor); ambiguous ones are an error; aliases win", async () => {
    const { setup, calls } = probeSetup();
    expect(await run(["ver"], { setup })).toEqual({ code: 0, stdout: "probe-version\n", stderr: "" });
    expect(await run(["roll", "v3"], { setup })).toMatchObject({ code: 0, stderr: "" });
    expect(calls[0].params).toEqual({ version: "v3" });
    expect((await run(["app", "stale", "-s"], { setup })).code).toBe(0);
    expect(calls[1].path).toEqual(["app", "stale_containers"]);
    expect(await run(["app", "l"], { setup })).toMatchObject({ code: 0 });
    expect(calls[2].path).toEqual(["app", "logs"]);
    expect((await run(["e"], { setup })).code).toBe(3); // the only command starting with "e" is exit3
    expect((await run(["help", "roll"], { setup })).stdout).toStartWith("Usage:\n  kamal rollback VERSION\n");
    const real = await run(["de"]);
    expect(real).toEqual({ code: 1, stdout: "", stderr: "Ambiguous command de matches [deploy, details]\n" });
    // `dep` is an alias in deploy.yml, so it is not taken as an abbreviation of deploy.
    expect(await run(["dep"], { cwd: app.dir, setup })).toMatchObject({ code: 0, stderr: "" });
    expect(calls[3].params).toEqual({ version: "v1" });
  });

  test("an alias that expands into itself stops", async () => {
    const r = await run(["loop"], { cwd: app.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Alias "loop" expands into itself too many times\n`);
  });
});

describe("errors and exit codes", () => {
  test("a command without a handler says it is not implemented", async () => {
    const r = await run(["proxy", "upgrade", "-y", "-d", "staging"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "  ERROR (NotImplementedError): 'kamal proxy upgrade' is not implemented yet in this build\n" });
  });

  test("a KamalError prints one line with its kind; red only on a TTY without NO_COLOR", async () => {
    const { setup } = probeSetup();
    const line = "  ERROR (Kamal::ConfigurationError): servers/web/hosts/0: should be a string or a hash";
    expect(await run(["boom"], { setup })).toEqual({ code: 1, stdout: "", stderr: `${line}\n` });
    const tty = await run(["boom"], { setup, tty: true, env: {} });
    expect(tty.stderr).toBe(`\x1b[31m${line}\x1b[39m\n`);
    const noColor = await run(["boom"], { setup, tty: true, env: { NO_COLOR: "1" } });
    expect(noColor.stderr).toBe(`${line}\n`);
  });

  test("other errors: one line, stack trace only with -v or VERBOSE=1", async () => {
    const { setup } = probeSetup();
    const plain = await run(["crash"], { setup });
    expect(plain).toEqual({ code: 1, stdout: "", stderr: "  ERROR (TypeError): cannot read properties of undefined\n" });
    for (const r of [await run(["crash", "-v"], { setup }), await run(["crash"], { setup, env: { VERBOSE: "1" } })]) {
      expect(r.code).toBe(1);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines[0]).toBe("  ERROR (TypeError): cannot read properties of undefined");
      expect(lines.length).toBeGreaterThan(1);
      expect(lines[1]).toMatch(/^  at /);
    }
  });

  test("a handler's exit code is returned; nested invoke runs in-process", async () => {
    const { setup, calls } = probeSetup();
    expect((await run(["exit3"], { setup })).code).toBe(3);
    expect((await run(["nested"], { setup })).code).toBe(0);
    expect(calls[0].path).toEqual(["rollback"]);
    expect(calls[0].ctx.global.destination).toBe("prod");
  });
});
