// The kamal-proxy command line: cobra-compatible parsing, help and `Error: ...` lines; control commands call
// the running server over the unix socket.
import type { ListEntry } from "../commands.ts";
import { callServer } from "../ipc.ts";
import { defaultAcmeCachePath, socketPath, type Env } from "../paths.ts";
import { deployArgs, UsageError } from "./deploy-args.ts";
import { FlagError, parseFlags, type ParsedFlags } from "./flags.ts";
import { commandHelp, rolloutHelp, rootHelp } from "./help.ts";
import { formatList } from "./list-format.ts";
import { runFlagsWithEnv, runServer } from "./run-command.ts";
import { commandSpecs, type CommandSpec } from "./specs.ts";
import { PROXY_VERSION } from "../../version.ts";

export const PROXY_COMPAT_VERSION = PROXY_VERSION;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

function findCommand(specs: CommandSpec[], argv: string[]): { spec: CommandSpec | null; rest: string[]; group?: string } {
  const name = argv[0]!;
  if (name === "rollout") {
    const sub = argv[1];
    if (sub === undefined || sub.startsWith("-")) return { spec: null, rest: argv.slice(1), group: "rollout" };
    const spec = specs.find((s) => s.path[0] === "rollout" && s.path[1] === sub) ?? null;
    return { spec, rest: argv.slice(2), group: spec ? undefined : "rollout-unknown" };
  }
  const spec = specs.find((s) => s.path.length === 1 && (s.path[0] === name || s.aliases?.includes(name))) ?? null;
  return { spec, rest: argv.slice(1) };
}

function checkArgs(spec: CommandSpec, flags: ParsedFlags): void {
  if (spec.args === "one" && flags.args.length !== 1) throw new UsageError(`accepts 1 arg(s), received ${flags.args.length}`);
  if (spec.args === "none" && flags.args.length > 0) {
    throw new UsageError(`unknown command "${flags.args[0]}" for "kamal-proxy ${spec.path.join(" ")}"`);
  }
}

function checkRequired(spec: CommandSpec, flags: ParsedFlags): void {
  const missing = (spec.required ?? []).filter((n) => !flags.changed.has(n));
  if (missing.length) throw new UsageError(`required flag(s) ${missing.map((m) => `"${m}"`).join(", ")} not set`);
  if (spec.path[0] === "deploy") {
    const group = ["tls-certificate-path", "tls-private-key-path"];
    const set = group.filter((n) => flags.changed.has(n));
    if (set.length > 0 && set.length < group.length) {
      const absent = group.filter((n) => !flags.changed.has(n));
      throw new UsageError(`if any flags in the group [${group.join(" ")}] are set they must all be set; missing [${absent.join(" ")}]`);
    }
  }
  if (spec.path[0] === "rollout" && spec.path[1] === "set" && !flags.changed.has("percent") && !flags.changed.has("list")) {
    throw new UsageError("at least one of the flags in the group [percent list] is required");
  }
}

async function execute(spec: CommandSpec, flags: ParsedFlags, env: Env, io: Io): Promise<number> {
  const v = flags.values;
  const service = flags.args[0]!;
  const call = (method: string, args: unknown) => callServer(socketPath(env), method, args);
  switch (spec.path.join(" ")) {
    case "run":
      return runServer(v, env);
    case "version":
      io.out(`${PROXY_COMPAT_VERSION}\n`);
      return 0;
    case "deploy": {
      const args = deployArgs(service, flags);
      checkRequired(spec, flags);
      await call("Deploy", args);
      return 0;
    }
    case "list":
      io.out(formatList((await call("List", true)) as ListEntry[]));
      return 0;
    case "remove":
      await call("Remove", { service });
      return 0;
    case "resume":
      await call("Resume", { service });
      return 0;
    case "pause":
      await call("Pause", { service, drain_timeout: v.get("drain-timeout"), pause_timeout: v.get("max-pause") });
      return 0;
    case "stop":
      await call("Stop", { service, drain_timeout: v.get("drain-timeout"), message: v.get("message") });
      return 0;
    case "rollout deploy":
      await call("RolloutDeploy", {
        service, target_urls: v.get("target"), reader_urls: v.get("read-target"),
        deployment_options: { deploy_timeout: v.get("deploy-timeout"), drain_timeout: v.get("drain-timeout"), force: false },
      });
      return 0;
    case "rollout set":
      await call("RolloutSet", { service, percentage: v.get("percent"), allowlist: v.get("list") });
      return 0;
    case "rollout stop":
      await call("RolloutStop", { service });
      return 0;
  }
  throw new UsageError(`unknown command "${spec.path.join(" ")}" for "kamal-proxy"`);
}

export async function runProxyCli(argv: string[], env: Env = process.env, io: Io = defaultIo): Promise<number> {
  const specs = commandSpecs(defaultAcmeCachePath(env));
  if (argv.length === 0 || argv[0] === "-h" || argv[0] === "--help") {
    io.out(rootHelp(specs));
    return 0;
  }
  if (argv[0] === "help") {
    const target = argv.length > 1 ? findCommand(specs, argv.slice(1)).spec : null;
    io.out(target ? commandHelp(target) : rootHelp(specs));
    return 0;
  }
  const { spec, rest, group } = findCommand(specs, argv);
  if (!spec) {
    if (group === "rollout") {
      io.out(rolloutHelp(specs));
      return 0;
    }
    const name = group === "rollout-unknown" ? argv[1] : argv[0];
    const where = group === "rollout-unknown" ? "kamal-proxy rollout" : "kamal-proxy";
    const usage = group === "rollout-unknown" ? "kamal-proxy rollout --help" : "kamal-proxy --help";
    io.err(`Error: unknown command "${name}" for "${where}"\nRun '${usage}' for usage.\n`);
    return 1;
  }
  try {
    const flagSpecs = spec.path[0] === "run" ? runFlagsWithEnv(spec.flags, env) : spec.flags;
    const flags = parseFlags(flagSpecs, rest);
    if (flags.help) {
      io.out(commandHelp(spec));
      return 0;
    }
    checkArgs(spec, flags);
    if (spec.path[0] !== "deploy") checkRequired(spec, flags);
    return await execute(spec, flags, env, io);
  } catch (error) {
    if (error instanceof FlagError || error instanceof UsageError || error instanceof Error) {
      io.err(`Error: ${error.message}\n`);
      return 1;
    }
    io.err(`Error: ${String(error)}\n`);
    return 1;
  }
}
