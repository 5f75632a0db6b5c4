// The Context every flow receives instead of globals: configuration, host/role selection, runner, logger,
// clock, environment, and the per-run state (lock held? pre-connect hook run?).
//
//   const ctx = createContext({ cwd, env, stdout, stderr, global, verbosity, commandPath });   // from the CLI
//   await withLock(ctx, async () => { ... });                                                  // flows/lock.ts
//   const ctx = testContext({ config, runner: new RecordingRunner() });                         // in flow tests
import { execFileSync } from "node:child_process";
import { userInfo } from "node:os";
import { loadConfig, type Config } from "../config/index.ts";
import {
  createRunner, select, sshOptionsFromKamal, type CommandObserver, type Runner, type SelectableRole, type Selection, type SshOptions,
} from "../exec/index.ts";
import { Logger, Redactor, shouldColor, type LogSink, type TextWriter, type Verbosity } from "../output/index.ts";
import { iso8601 } from "../commands/lock.ts";
import type { Tags } from "../commands/auditor.ts";

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A role as selection sees it; `ctx.config.role(name)` gives the full Role. */
export interface SelectedRole extends SelectableRole {
  readonly proxy: boolean;
}

/** The global options flows act on (Kamal's class options, §1.1). */
export interface FlowOptions {
  readonly verbosity: Verbosity;
  readonly quiet: boolean;
  readonly skipHooks: boolean;
  readonly lockWait: boolean;
  /** Seconds. */
  readonly lockWaitTimeout: number;
  /** Seconds. */
  readonly lockWaitInterval: number;
  /** --roles as given (KAMAL_ROLES for hooks). */
  readonly roles?: readonly string[];
}

/** Who runs this: `git config user.email` (or whoami) for audit/hooks, `git config user.name` (or Unknown) for the lock. */
export interface Identity {
  performer(): string;
  lockedBy(): string;
}

/** Mutable per-run state (one object per top-level command). */
export interface RunState {
  /** true while this process (or a parent kamal, KAMAL_LOCK=true) holds the deploy lock. */
  holdingLock: boolean;
  /** pre-connect has run (it runs once per process, before the first SSH connection). */
  connected: boolean;
}

export interface Context {
  readonly config: Config;
  readonly selection: Selection<SelectedRole>;
  readonly runner: Runner;
  readonly logger: Logger;
  readonly options: FlowOptions;
  /** Top-level command and subcommand, e.g. { command: "server", subcommand: "exec" } (KAMAL_COMMAND/KAMAL_SUBCOMMAND). */
  readonly command: { readonly command: string; readonly subcommand?: string };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly identity: Identity;
  readonly state: RunState;
  /** For --raw output: bytes as they are. */
  readonly stdout: TextWriter;
  /** SSH options as given to the runner (interactive `ssh -t` uses them too). */
  readonly ssh: SshOptions;
}

/** Kamal's default tags (§3.9, §4.7): recorded_at, performer, destination, version, service_version, service. */
export function defaultTags(ctx: Context): Tags {
  const { config } = ctx;
  return {
    recorded_at: iso8601(ctx.clock.now()),
    performer: ctx.identity.performer(),
    destination: config.destination,
    version: config.version,
    service_version: `${config.service}@${config.abbreviatedVersion}`,
    service: config.service,
  };
}

function gitConfig(cwd: string, key: string): string {
  try {
    return execFileSync("git", ["config", key], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export function localIdentity(cwd: string): Identity {
  let performer: string | undefined;
  let name: string | undefined;
  return {
    performer: () => (performer ??= gitConfig(cwd, "user.email") || safeUsername()),
    lockedBy: () => (name ??= gitConfig(cwd, "user.name") || "Unknown"),
  };
}

/** Kamal uses `whoami` (Bun's os.userInfo() does not read the passwd database). */
function safeUsername(): string {
  try {
    return execFileSync("whoami", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || "unknown";
  } catch {
    return userInfo().username;
  }
}

export function selectionOf(config: Config, filters: { hosts?: readonly string[]; roles?: readonly string[]; primary?: boolean }): Selection<SelectedRole> {
  const roles: SelectedRole[] = config.roles.map((r) => ({ name: r.name, hosts: r.hosts, proxy: r.runningProxy }));
  const accessories = config.accessories.map((a) => ({ name: a.name, hosts: a.hosts, proxy: a.runningProxy }));
  return select({ roles, primaryRole: config.primaryRoleName, accessories }, filters);
}

export function sshOptionsOf(config: Config, env: Readonly<Record<string, string | undefined>>): SshOptions {
  const raw = config.ssh.raw as Parameters<typeof sshOptionsFromKamal>[0];
  return sshOptionsFromKamal({ ...raw, key_data: config.ssh.keyData(config.secrets) }, config.sshkit.raw, { env: { ...env } });
}

/** What the CLI hands over (structurally the CLI's context; flows do not import the CLI). */
export interface ContextInput {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextWriter & { isTTY?: boolean };
  readonly stderr: TextWriter & { isTTY?: boolean };
  readonly verbosity: Verbosity;
  readonly commandPath: readonly string[];
  readonly global: RunGlobals;
}

/** Kamal's class options (reference §1.1) as flows need them; the CLI's GlobalOptions adds --verbose. */
export interface RunGlobals {
  readonly quiet: boolean;
  /** App version to run against (`--version`), not the Kamal version. */
  readonly version?: string;
  readonly primary: boolean;
  /** Comma list split into patterns; wildcards kept as written. */
  readonly hosts?: readonly string[];
  readonly roles?: readonly string[];
  readonly configFile: string;
  readonly destination?: string;
  readonly skipHooks: boolean;
  readonly lockWait: boolean;
  readonly lockWaitTimeout: number;
  readonly lockWaitInterval: number;
}

/** Extra receivers of the run's output (Kamal's `modify`: the output: loggers and the end-of-run summary). */
export interface RunOutputs {
  readonly tee?: TextWriter[];
  readonly sinks?: LogSink[];
  readonly observers?: CommandObserver[];
}

/** Load the configuration and wire the real runner (SSH pool + local processes). Call ctx.runner.close() at the end.
 *  `outputsFor` is asked, once the configuration is loaded, for extra output receivers (see flows/modify.ts). */
export function createContext(input: ContextInput, outputsFor?: (config: Config, redactor: Redactor) => RunOutputs): Context {
  const { global: g } = input;
  const config = loadConfig({ configFile: g.configFile, destination: g.destination, version: g.version, cwd: input.cwd, env: input.env });
  const redactor = new Redactor();
  redactor.follow(() => config.secrets.loadedValues?.() ?? []);
  const outputs = outputsFor?.(config, redactor) ?? {};
  const logger = new Logger({
    out: input.stdout, err: input.stderr, verbosity: input.verbosity, color: shouldColor(input.stdout, input.env), redactor,
    tee: outputs.tee, sinks: outputs.sinks,
  });
  const ssh = sshOptionsOf(config, input.env);
  const runner = createRunner({ ssh, logger, local: { cwd: input.cwd, env: { ...input.env } }, observers: outputs.observers });
  const [command = "", subcommand] = input.commandPath;
  return {
    config,
    selection: selectionOf(config, { hosts: g.hosts, roles: g.roles, primary: g.primary }),
    runner,
    logger,
    options: {
      verbosity: input.verbosity, quiet: g.quiet, skipHooks: g.skipHooks, lockWait: g.lockWait,
      lockWaitTimeout: g.lockWaitTimeout, lockWaitInterval: g.lockWaitInterval, roles: g.roles,
    },
    command: { command, subcommand },
    cwd: input.cwd,
    env: input.env,
    clock: systemClock,
    identity: localIdentity(input.cwd),
    state: { holdingLock: input.env.KAMAL_LOCK === "true", connected: false },
    stdout: input.stdout,
    ssh,
  };
}

/** Create the context, run fn, and always close the SSH connections. */
export async function withContext<T>(input: ContextInput, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const ctx = createContext(input);
  try {
    return await fn(ctx);
  } finally {
    await ctx.runner.close();
  }
}

/** A Context from parts, with defaults (flow tests, and flows that already hold a config and runner). */
export function contextFor(parts: {
  config: Config;
  runner: Runner;
  logger: Logger;
  options?: Partial<FlowOptions>;
  filters?: { hosts?: readonly string[]; roles?: readonly string[]; primary?: boolean };
  command?: { command: string; subcommand?: string };
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  identity?: Identity;
  stdout?: TextWriter;
  holdingLock?: boolean;
}): Context {
  const cwd = parts.cwd ?? parts.config.cwd;
  const env = parts.env ?? {};
  return {
    config: parts.config,
    selection: selectionOf(parts.config, parts.filters ?? {}),
    runner: parts.runner,
    logger: parts.logger,
    options: {
      verbosity: parts.logger.verbosity, quiet: false, skipHooks: false, lockWait: false, lockWaitTimeout: 900, lockWaitInterval: 15,
      ...parts.options,
    },
    command: parts.command ?? { command: "" },
    cwd,
    env,
    clock: parts.clock ?? systemClock,
    identity: parts.identity ?? localIdentity(cwd),
    state: { holdingLock: parts.holdingLock ?? env.KAMAL_LOCK === "true", connected: false },
    stdout: parts.stdout ?? { write: () => undefined },
    ssh: sshOptionsOf(parts.config, env),
  };
}
