// A Runner for flow tests: records every rendered command and upload, answers with scripted results.
// Not an SSH mock: flows are tested at the Cmd level with it; SSH itself is tested against real sshd.
import { Readable } from "node:stream";
import { Logger, StringWriter } from "../output/index.ts";
import { CommandRunner, type CommandObserver } from "./runner.ts";
import type { CommandResult, RemoteForward, Transport, TransportIo } from "./types.ts";

export interface RecordedCommand {
  host: string;
  /** The rendered line as it would run (secrets in clear). */
  command: string;
  stdin?: string;
}
export interface RecordedForward {
  host: string;
  /** "127.0.0.1:5555" on the host */
  bind: string;
  /** "127.0.0.1:5555" here */
  target: string;
  closed: boolean;
}
export interface RecordedUpload {
  host: string;
  path: string;
  content: string;
  mode: number;
}

type Matcher = string | RegExp | ((command: string, host: string) => boolean);
type Reply = Partial<CommandResult> | Error | ((command: string, host: string) => Partial<CommandResult> | Error);

class RecordingTransport implements Transport {
  readonly commands: RecordedCommand[] = [];
  readonly uploads: RecordedUpload[] = [];
  readonly forwards: RecordedForward[] = [];
  readonly replies: { match: Matcher; reply: Reply; host?: string }[] = [];

  async exec(host: string, line: string, io: TransportIo): Promise<CommandResult> {
    const stdin = io.stdin === undefined ? undefined : typeof io.stdin === "string" ? io.stdin
      : new TextDecoder().decode(io.stdin instanceof Readable ? Buffer.concat(await io.stdin.toArray()) : io.stdin);
    this.commands.push({ host, command: line, ...(stdin === undefined ? {} : { stdin }) });
    // Later responses override earlier ones.
    for (let i = this.replies.length - 1; i >= 0; i--) {
      const { match, reply, host: onlyHost } = this.replies[i];
      if (onlyHost !== undefined && onlyHost !== host) continue;
      const hit = typeof match === "string" ? line.includes(match) : match instanceof RegExp ? match.test(line) : match(line, host);
      if (!hit) continue;
      const r = typeof reply === "function" ? reply(line, host) : reply;
      if (r instanceof Error) throw r;
      const result = { stdout: r.stdout ?? "", stderr: r.stderr ?? "", code: r.code ?? 0 };
      if (result.stdout) io.onStdout?.(result.stdout);
      if (result.stderr) io.onStderr?.(result.stderr);
      return result;
    }
    return { stdout: "", stderr: "", code: 0 };
  }

  async upload(host: string, content: string | Uint8Array, path: string, mode: number): Promise<void> {
    this.uploads.push({ host, path, mode, content: typeof content === "string" ? content : new TextDecoder().decode(content) });
  }

  displayUser(): string | undefined {
    return undefined;
  }

  async forwardRemote(host: string, bind: { address: string; port: number }, target: { host: string; port: number }): Promise<RemoteForward> {
    const forward: RecordedForward = { host, bind: `${bind.address}:${bind.port}`, target: `${target.host}:${target.port}`, closed: false };
    this.forwards.push(forward);
    return { close: async () => { forward.closed = true; } };
  }

  async close(): Promise<void> {}
}

export class RecordingRunner extends CommandRunner {
  readonly #t: RecordingTransport;
  /** Everything the runner printed (Running/Finished lines at the logger's verbosity). */
  readonly output: StringWriter;

  constructor(logger?: Logger, observers: CommandObserver[] = []) {
    const t = new RecordingTransport();
    const output = new StringWriter();
    super(t, logger ?? new Logger({ out: output, verbosity: "debug" }), observers);
    this.#t = t;
    this.output = output;
  }

  /** Script a result for commands matching `match` (substring, RegExp or predicate), optionally only on one host. */
  respond(match: Matcher, reply: Reply, host?: string): this {
    this.#t.replies.push({ match, reply, host });
    return this;
  }

  get commands(): readonly RecordedCommand[] {
    return this.#t.commands;
  }
  get uploads(): readonly RecordedUpload[] {
    return this.#t.uploads;
  }
  /** SSH remote port forwards opened (and whether they were closed). */
  get forwards(): readonly RecordedForward[] {
    return this.#t.forwards;
  }
  /** Rendered command lines run on one host (or all, as "host: line" when no host is given). */
  lines(host?: string): string[] {
    return host === undefined
      ? this.#t.commands.map((c) => `${c.host}: ${c.command}`)
      : this.#t.commands.filter((c) => c.host === host).map((c) => c.command);
  }
}
