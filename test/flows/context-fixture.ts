// Shared by the lock/audit/hooks/server flow tests: a temp app with a real config, a RecordingRunner and a fake clock.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadConfig } from "../../src/config/index.ts";
import { RecordingRunner, type Runner } from "../../src/exec/index.ts";
import { Logger, StringWriter, type Verbosity } from "../../src/output/index.ts";
import { contextFor, type Clock, type Context, type FlowOptions } from "../../src/flows/context.ts";

export const DEPLOY_YML = `service: app
image: app
servers:
  web: [1.1.1.1, 1.1.1.2]
  workers: [1.1.1.3]
registry:
  server: registry.example.com
  username: user
  password: pw
builder:
  arch: amd64
`;

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.parse("2024-05-01T10:00:00Z")) {}
  now(): Date { return new Date(this.time); }
  async sleep(ms: number): Promise<void> { this.sleeps.push(ms); this.time += ms; }
}

export interface Fixture {
  dir: string;
  ctx: Context;
  runner: RecordingRunner;
  out: StringWriter;
  raw: StringWriter;
  clock: FakeClock;
  cleanup(): void;
}

export function tempApp(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "kamal-flow-"));
  for (const [path, content] of Object.entries({ "config/deploy.yml": DEPLOY_YML, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    if (path.includes("hooks/")) chmodSync(join(dir, path), 0o755);
  }
  return dir;
}

export function fixture(opts: {
  files?: Record<string, string>;
  options?: Partial<FlowOptions>;
  filters?: { hosts?: string[]; roles?: string[]; primary?: boolean };
  env?: Record<string, string>;
  command?: { command: string; subcommand?: string };
  verbosity?: Verbosity;
  runner?: (logger: Logger) => Runner;
} = {}): Fixture {
  const dir = tempApp(opts.files);
  const out = new StringWriter();
  const raw = new StringWriter();
  const logger = new Logger({ out, verbosity: opts.verbosity ?? "info" });
  const recording = new RecordingRunner(logger);
  const runner = opts.runner ? opts.runner(logger) : recording;
  const clock = new FakeClock();
  const config = loadConfig({ cwd: dir, version: "999", env: {} });
  const ctx = contextFor({
    config, runner, logger, clock, options: opts.options, filters: opts.filters, env: opts.env ?? {}, stdout: raw,
    command: opts.command ?? { command: "server", subcommand: "exec" },
    identity: { performer: () => "deployer@example.com", lockedBy: () => "Deployer" },
  });
  return { dir, ctx, runner: recording, out, raw, clock, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
