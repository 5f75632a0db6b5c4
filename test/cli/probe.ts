// A registry of probe commands that record what they were given, to test parsing and dispatch without flows.
import type { CliContext } from "../../src/cli/context.ts";
import { defineCommand, defineGroup, type Registration } from "../../src/cli/define.ts";
import type { CliSetup } from "../../src/cli/dispatch.ts";
import { lookupAliasInConfig } from "../../src/cli/aliases.ts";
import { ConfigurationError } from "../../src/errors.ts";

export interface Call {
  path: readonly string[];
  params: Record<string, unknown>;
  options: Record<string, unknown>;
  given: string[];
  ctx: CliContext;
}

export function probeSetup(): { setup: CliSetup; calls: Call[] } {
  const calls: Call[] = [];
  const record = (input: { params: Record<string, unknown>; options: Record<string, unknown>; given: ReadonlySet<string> }, ctx: CliContext) => {
    calls.push({ path: ctx.commandPath, params: input.params, options: input.options, given: [...input.given], ctx });
  };
  const registry: Registration[] = [
    defineCommand({
      name: "deploy",
      desc: "Deploy",
      options: [
        { name: "skip-push", alias: "P", type: "boolean", default: false, desc: "Skip push" },
        { name: "no-cache", type: "boolean", default: false, desc: "No cache" },
      ],
      run: record,
    }),
    defineCommand({ name: "rollback", desc: "Rollback", params: [{ name: "version", required: true }], run: record }),
    defineCommand({ name: "version", desc: "Version", run: (_i, ctx) => void ctx.stdout.write("probe-version\n") }),
    defineCommand({ name: "boom", desc: "Throws", run: () => { throw new ConfigurationError("servers/web/hosts/0: should be a string or a hash"); } }),
    defineCommand({ name: "crash", desc: "Throws a plain error", run: () => { throw new TypeError("cannot read properties of undefined"); } }),
    defineCommand({ name: "exit3", desc: "Returns 3", run: () => 3 }),
    defineCommand({ name: "nested", desc: "Invokes rollback", run: (_i, ctx) => ctx.invoke(["rollback", "v9", "-d", "prod"]) }),
    defineGroup("app", "App", [
      defineCommand({
        name: "exec",
        desc: "Exec",
        params: [{ name: "cmd", variadic: true }],
        passUnknownOptions: true,
        options: [
          { name: "interactive", alias: "i", type: "boolean", default: false, desc: "Interactive" },
          { name: "reuse", type: "boolean", default: false, desc: "Reuse" },
          { name: "env", alias: "e", type: "hash", desc: "Env" },
        ],
        run: record,
      }),
      defineCommand({
        name: "logs",
        desc: "Logs",
        options: [{ name: "lines", alias: "n", type: "numeric", desc: "Lines" }, { name: "grep", alias: "g", type: "string", desc: "Grep" }],
        run: record,
      }),
      defineCommand({ name: "stale_containers", desc: "Stale", options: [{ name: "stop", alias: "s", type: "boolean", desc: "Stop" }], run: record }),
      defineCommand({ name: "boot", desc: "Boot" }),
    ]),
    defineGroup("proxy", "Proxy", [
      defineCommand({
        name: "boot_config",
        desc: "Boot config",
        params: [{ name: "subcommand", required: true }],
        options: [
          { name: "publish", type: "boolean", default: true, desc: "Publish" },
          { name: "docker-options", type: "array", desc: "Docker options" },
          { name: "http-port", type: "numeric", default: 80, desc: "HTTP port" },
        ],
        run: record,
      }),
    ]),
    defineGroup("lock", "Lock", [
      defineCommand({ name: "acquire", desc: "Acquire", options: [{ name: "message", alias: "m", type: "string", required: true, desc: "Message" }], run: record }),
    ]),
  ];
  return { setup: { registry, lookupAlias: lookupAliasInConfig }, calls };
}
