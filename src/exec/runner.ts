// The Runner flows use: logging (Running/Finished/Command/output lines), redaction, CommandFailed.
// A Transport (SSH pool or local processes) does the actual work.
import { randomBytes } from "node:crypto";
import type { Logger } from "../output/index.ts";
import { displayCmd, renderCmd, secretsOf, type Cmd } from "../shell/index.ts";
import { CommandFailed } from "./errors.ts";
import { onHosts, onRoles } from "./fail-slow.ts";
import { LOCALHOST, type CommandResult, type RemoteForward, type RunOptions, type Runner, type Transport } from "./types.ts";

export type { CommandResult, RunOptions, Runner, Transport, TransportIo } from "./types.ts";
export { LOCALHOST } from "./types.ts";

/** SSHKit's command id: 8 hex characters. */
export const commandId = (): string => randomBytes(4).toString("hex");

/** Splits a stream of chunks into complete lines. */
class LineSplitter {
  #rest = "";
  constructor(private readonly emit: (line: string) => void) {}
  push(chunk: string): void {
    const parts = (this.#rest + chunk).split("\n");
    this.#rest = parts.pop() ?? "";
    for (const p of parts) this.emit(p);
  }
  flush(): void {
    if (this.#rest !== "") this.emit(this.#rest);
    this.#rest = "";
  }
}

/** Told about every finished command (e.g. output's RunSummary). */
export interface CommandObserver {
  commandFinished(o: { host: string; command: string; code: number; seconds: number }): void;
}

export class CommandRunner implements Runner {
  constructor(
    private readonly transport: Transport,
    private readonly logger: Logger,
    private readonly observers: CommandObserver[] = [],
  ) {}

  async exec(host: string, cmd: Cmd, opts: RunOptions = {}): Promise<CommandResult> {
    const redactor = this.logger.redactor;
    redactor.add(...secretsOf(cmd), ...(opts.secrets ?? []));
    const id = commandId();
    const level = opts.level ?? "info";
    const shown = displayCmd(cmd);
    this.logger.commandStarted({ id, host, user: this.transport.displayUser(host), command: shown, level });
    const out = new LineSplitter((l) => this.logger.commandOutput(id, "stdout", l, host));
    const err = new LineSplitter((l) => this.logger.commandOutput(id, "stderr", l, host));
    const started = performance.now();
    const result = await this.transport.exec(host, renderCmd(cmd), {
      stdin: opts.stdin,
      timeoutMs: opts.timeoutMs,
      cwd: opts.cwd,
      env: opts.env,
      onStdout: (c) => { out.push(c); opts.onStdout?.(c); },
      onStderr: (c) => { err.push(c); opts.onStderr?.(c); },
      onStdoutBytes: opts.onStdoutBytes,
    });
    out.flush();
    err.flush();
    const seconds = (performance.now() - started) / 1000;
    this.logger.commandFinished(id, seconds, result.code, level, host);
    for (const o of this.observers) o.commandFinished({ host, command: shown, code: result.code, seconds });
    return result;
  }

  async run(host: string, cmd: Cmd, opts: RunOptions = {}): Promise<CommandResult> {
    const result = await this.exec(host, cmd, opts);
    if (result.code !== 0) {
      const r = this.logger.redactor;
      throw new CommandFailed(host, r.scrub(displayCmd(cmd)), result.code, r.scrub(result.stdout), r.scrub(result.stderr));
    }
    return result;
  }

  async capture(host: string, cmd: Cmd, opts: RunOptions = {}): Promise<string> {
    return (await this.run(host, cmd, { level: "debug", ...opts })).stdout.trim();
  }

  async test(host: string, cmd: Cmd, opts: RunOptions = {}): Promise<boolean> {
    return (await this.exec(host, cmd, { level: "debug", ...opts })).code === 0;
  }

  upload(host: string, content: string | Uint8Array, remotePath: string, mode = 0o644): Promise<void> {
    this.logger.debug(`Uploading ${remotePath} (mode ${mode.toString(8)}) to ${host}`);
    return this.transport.upload(host, content, remotePath, mode);
  }

  onHosts<T>(hosts: readonly string[], fn: (host: string) => Promise<T>): Promise<T[]> {
    return onHosts(hosts, fn);
  }

  onRoles<R extends { readonly name: string; readonly hosts: readonly string[] }>(
    roles: readonly R[], hosts: readonly string[], fn: (host: string, role: R) => Promise<void>, opts: { parallel?: boolean } = {},
  ): Promise<void> {
    return onRoles(roles, hosts, fn, opts);
  }

  forwardRemote(host: string, remotePort: number, localPort: number): Promise<RemoteForward> {
    if (!this.transport.forwardRemote) return Promise.reject(new Error(`Port forwarding is not available to ${host}`));
    this.logger.debug(`Forwarding 127.0.0.1:${remotePort} on ${host} to localhost:${localPort}`);
    return this.transport.forwardRemote(host, { address: "127.0.0.1", port: remotePort }, { host: "127.0.0.1", port: localPort });
  }

  withVerbosity(verbosity: "debug" | "info" | "error"): CommandRunner {
    return new CommandRunner(this.transport, this.logger.withVerbosity(verbosity), this.observers);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** Sends "localhost" to the local transport and every other host to the remote one. */
export class RoutingTransport implements Transport {
  constructor(
    private readonly local: Transport,
    private readonly remote: Transport,
  ) {}
  #pick(host: string): Transport {
    return host === LOCALHOST ? this.local : this.remote;
  }
  exec(host: string, line: string, io: Parameters<Transport["exec"]>[2]): Promise<CommandResult> {
    return this.#pick(host).exec(host, line, io);
  }
  upload(host: string, content: string | Uint8Array, remotePath: string, mode: number): Promise<void> {
    return this.#pick(host).upload(host, content, remotePath, mode);
  }
  displayUser(host: string): string | undefined {
    return this.#pick(host).displayUser(host);
  }
  forwardRemote(host: string, bind: { address: string; port: number }, target: { host: string; port: number }): Promise<RemoteForward> {
    const transport = this.#pick(host);
    if (!transport.forwardRemote) return Promise.reject(new Error(`Port forwarding is not available to ${host}`));
    return transport.forwardRemote(host, bind, target);
  }
  async close(): Promise<void> {
    await Promise.all([this.local.close(), this.remote.close()]);
  }
}
