// Global and command option parsing with Kamal's (Thor's) spellings, through the real dispatcher.
import { describe, expect, test } from "bun:test";
import { run } from "./helpers.ts";
import { probeSetup } from "./probe.ts";

async function call(args: string[]) {
  const { setup, calls } = probeSetup();
  const result = await run(args, { setup });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(calls.length).toBe(1);
  return calls[0];
}

describe("global options", () => {
  test("defaults", async () => {
    const { ctx } = await call(["deploy"]);
    expect(ctx.global).toEqual({
      verbose: false, quiet: false, version: undefined, primary: false, hosts: undefined, roles: undefined,
      configFile: "config/deploy.yml", destination: undefined, skipHooks: false, lockWait: false,
      lockWaitTimeout: 900, lockWaitInterval: 15,
    });
    expect(ctx.verbosity).toBe("info");
  });

  test("long spellings, before and after the command word", async () => {
    const { ctx } = await call([
      "--verbose", "deploy", "--version=0123", "--primary", "--hosts", "web-*,10.0.0.[12]", "--roles=web,work{er,ers}",
      "--config-file", "config/other.yml", "--destination", "staging", "--skip-hooks", "--lock-wait",
      "--lock-wait-timeout", "60", "--lock-wait-interval=2.5",
    ]);
    expect(ctx.global).toEqual({
      verbose: true, quiet: false, version: "0123", primary: true, hosts: ["web-*", "10.0.0.[12]"], roles: ["web", "work{er,ers}"],
      configFile: "config/other.yml", destination: "staging", skipHooks: true, lockWait: true,
      lockWaitTimeout: 60, lockWaitInterval: 2.5,
    });
    expect(ctx.verbosity).toBe("debug");
  });

  test("short aliases, clusters and attached values", async () => {
    const { ctx } = await call(["deploy", "-qpH", "-h", "a, b", "-rweb", "-c=x.yml", "-d", "prod"]);
    expect(ctx.global.quiet).toBe(true);
    expect(ctx.verbosity).toBe("error");
    expect(ctx.global.primary).toBe(true);
    expect(ctx.global.skipHooks).toBe(true);
    expect(ctx.global.hosts).toEqual(["a", "b"]);
    expect(ctx.global.roles).toEqual(["web"]);
    expect(ctx.global.configFile).toBe("x.yml");
    expect(ctx.global.destination).toBe("prod");
  });

  test("underscores in long names, --no-x and --skip-x for booleans", async () => {
    const { ctx } = await call(["deploy", "--skip_hooks", "--lock_wait_timeout=5", "--no-verbose", "--lock-wait", "--no-lock-wait"]);
    expect(ctx.global.skipHooks).toBe(true);
    expect(ctx.global.lockWaitTimeout).toBe(5);
    expect(ctx.global.verbose).toBe(false);
    expect(ctx.global.lockWait).toBe(false);
  });

  test("the app version stays a string (no number coercion)", async () => {
    for (const v of ["0123", "1e5", "007", "42"]) {
      const { ctx } = await call(["deploy", "--version", v]);
      expect(ctx.global.version).toBe(v);
    }
  });

  test("bad values are one plain line, exit 1", async () => {
    const { setup } = probeSetup();
    const bad = await run(["deploy", "--lock-wait-timeout", "soon"], { setup });
    expect(bad).toEqual({ code: 1, stdout: "", stderr: `Expected numeric value for '--lock-wait-timeout'; got "soon"\n` });
    const missing = await run(["deploy", "-d"], { setup });
    expect(missing).toEqual({ code: 1, stdout: "", stderr: "No value provided for option '-d'\n" });
  });
});

describe("command options and params", () => {
  test("--skip-push and --skip_push and -P", async () => {
    for (const spelling of ["--skip-push", "--skip_push", "-P"]) {
      const { options, given } = await call(["deploy", spelling]);
      expect(options.skipPush).toBe(true);
      expect(given).toEqual(["skip-push"]);
    }
    const { options } = await call(["deploy", "-P", "--no-skip-push"]);
    expect(options.skipPush).toBe(false);
  });

  test("--no-cache is an option of its own", async () => {
    expect((await call(["deploy", "--no-cache"])).options.noCache).toBe(true);
    expect((await call(["deploy", "--no_cache"])).options.noCache).toBe(true);
    expect((await call(["deploy"])).options.noCache).toBe(false);
  });

  test("positional params stay strings", async () => {
    const { params } = await call(["rollback", "0123456", "-v"]);
    expect(params).toEqual({ version: "0123456" });
  });

  test("numeric and string options of a subcommand", async () => {
    const { options, path } = await call(["app", "logs", "-n", "20", "-g", "GET /up"]);
    expect(path).toEqual(["app", "logs"]);
    expect(options).toEqual({ lines: 20, grep: "GET /up" });
  });

  test("array and hash options take several words", async () => {
    const boot = await call(["proxy", "boot_config", "set", "--docker-options", "a=b", "c=d", "--no-publish", "--http-port=8080"]);
    expect(boot.params).toEqual({ subcommand: "set" });
    expect(boot.options).toMatchObject({ dockerOptions: ["a=b", "c=d"], publish: false, httpPort: 8080 });
    const exec = await call(["app", "exec", "-e", "A:1", "B:x:y", "env"]);
    expect(exec.options.env).toEqual({ A: "1", B: "x:y" });
    expect(exec.params).toEqual({ cmd: ["env"] });
  });

  test("exec keeps unknown dashed words as part of CMD, still parses known options anywhere", async () => {
    const { options, params, ctx } = await call(["app", "exec", "ls", "-la", "--color=auto", "-i", "-r", "workers", "--", "-v"]);
    expect(params).toEqual({ cmd: ["ls", "-la", "--color=auto", "-v"] });
    expect(options.interactive).toBe(true);
    expect(ctx.global.roles).toEqual(["workers"]);
    expect(ctx.global.verbose).toBe(false);
  });

  test("dashes in subcommand names are accepted for underscores", async () => {
    const { path, options } = await call(["app", "stale-containers", "--stop"]);
    expect(path).toEqual(["app", "stale_containers"]);
    expect(options.stop).toBe(true);
  });

  test("unknown options, missing and extra arguments, missing required options", async () => {
    const { setup } = probeSetup();
    expect(await run(["deploy", "--bogus"], { setup })).toEqual({ code: 1, stdout: "", stderr: "Unknown option '--bogus'\n" });
    expect(await run(["rollback"], { setup })).toEqual({
      code: 1, stdout: "", stderr: `"kamal rollback" was called with no arguments. Usage: "kamal rollback VERSION"\n`,
    });
    expect((await run(["deploy", "extra"], { setup })).stderr).toBe(`"kamal deploy" was called with arguments ["extra"]. Usage: "kamal deploy"\n`);
    expect(await run(["lock", "acquire"], { setup })).toEqual({
      code: 1, stdout: "", stderr: "No value provided for required options '--message'\n",
    });
  });
});
