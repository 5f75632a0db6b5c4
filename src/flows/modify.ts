// Kamal's `modify` (reference §1.15) for every command that changes hosts: the `output:` loggers (a log file per
// run, the OpenTelemetry shipper with kamal.start / kamal.complete / kamal.failed events) and, beyond Kamal, a
// readable end-of-run summary (per host: commands run, what failed).
import { randomUUID } from "node:crypto";
import type { Config } from "../config/index.ts";
import { FileLog, OtelShipper, RunSummary, errorKind, type Attributes, type Redactor } from "../output/index.ts";
import { hashOrEmpty, optionalString } from "../config/values.ts";
import { VERSION } from "../version.ts";
import { createContext, localIdentity, type Context, type ContextInput, type RunOutputs } from "./context.ts";

const DEPLOYMENTS = new Set(["deploy", "redeploy", "rollback", "setup"]);

class ModifyRun {
  readonly summary = new RunSummary();
  readonly runId = randomUUID();
  readonly startedMs = Date.now();
  service = "";
  file?: FileLog;
  otel?: OtelShipper;

  constructor(private readonly input: ContextInput) {}

  outputs(config: Config, redactor: Redactor): RunOutputs {
    const [command = "", subcommand] = this.input.commandPath;
    this.service = config.service;
    const output = config.output;
    const path = optionalString(hashOrEmpty(output.file).path);
    const endpoint = optionalString(hashOrEmpty(output.otel).endpoint);
    if (path !== undefined) this.file = new FileLog(path, new Date(), { command, subcommand, destination: config.destination }, redactor);
    if (endpoint !== undefined) {
      this.otel = new OtelShipper({
        endpoint, err: this.input.stderr,
        resource: {
          "service.version": VERSION, "kamal.run_id": this.runId, "service.namespace": config.service,
          "kamal.deploy_version": safely(() => config.version), "kamal.performer": localIdentity(this.input.cwd).performer(),
          "deployment.environment.name": config.destination,
        },
      });
    }
    return { tee: this.file ? [this.file] : [], sinks: this.otel ? [this.otel] : [], observers: [this.summary] };
  }

  event(name: string, extra: Attributes = {}): void {
    const [command = "", subcommand] = this.input.commandPath;
    const deployment = DEPLOYMENTS.has(command) && subcommand === undefined;
    this.otel?.event(name, {
      "kamal.command": [command, subcommand].filter(Boolean).join(" "),
      ...(deployment ? { "deployment.id": this.runId, "deployment.name": `${command} ${this.service}` } : {}),
      ...extra,
    }, name === "kamal.failed" ? "error" : "info");
  }

  async finish(ctx: Context, error?: unknown): Promise<void> {
    const seconds = (Date.now() - this.startedMs) / 1000;
    if (error !== undefined) this.summary.recordError(error);
    const deployment = DEPLOYMENTS.has(this.input.commandPath[0] ?? "") && this.input.commandPath.length === 1;
    this.event(error === undefined ? "kamal.complete" : "kamal.failed", {
      "kamal.runtime": seconds,
      ...(deployment ? { "deployment.status": error === undefined ? "succeeded" : "failed" } : {}),
      ...(error === undefined ? {} : { "exception.type": errorKind(error), "exception.message": error instanceof Error ? error.message : String(error) }),
    });
    for (const line of this.summary.lines()) ctx.logger.say(line, line.includes("FAILED") ? "red" : undefined);
    this.file?.finish(seconds, error);
    if (this.file) ctx.logger.say(`Logs written to ${this.file.path}`);
    if (this.otel) {
      await this.otel.close();
      ctx.logger.say(`Logs sent to ${this.otel.endpoint}`);
    }
  }
}

function safely<T>(fn: () => T): T | undefined {
  try { return fn(); } catch { return undefined; }
}

/** Like withContext, for commands that change hosts: output loggers on, summary at the end, connections closed. */
export async function withModify<T>(input: ContextInput, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const run = new ModifyRun(input);
  const ctx = createContext(input, (config, redactor) => run.outputs(config, redactor));
  run.event("kamal.start");
  try {
    const result = await fn(ctx);
    await run.finish(ctx);
    return result;
  } catch (e) {
    await run.finish(ctx, e);
    throw e;
  } finally {
    await ctx.runner.close();
  }
}
