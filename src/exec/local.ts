// Runs rendered command lines on this machine with /bin/sh -c (git, docker build, hooks).
import { spawn } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname, resolve } from "node:path";
import { Readable } from "node:stream";
import { CommandTimedOut } from "./errors.ts";
import type { CommandResult, Transport, TransportIo } from "./types.ts";

export interface LocalTransportOptions {
  /** Base environment for every command (default: the process env at construction, passed in by the CLI). */
  env?: Record<string, string | undefined>;
  /** Working directory for relative paths (default: process cwd). */
  cwd?: string;
  shell?: string;
}

export class LocalTransport implements Transport {
  constructor(private readonly opts: LocalTransportOptions = {}) {}

  exec(_host: string, line: string, io: TransportIo): Promise<CommandResult> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(this.opts.shell ?? "/bin/sh", ["-c", line], {
        cwd: io.cwd ?? this.opts.cwd,
        env: { ...(this.opts.env ?? process.env), ...(io.env ?? {}) },
        stdio: ["pipe", "pipe", "pipe"],
        // Own process group only when a timeout may have to kill the whole tree; otherwise stay in ours so
        // Ctrl-C reaches the child (docker build, hooks) too.
        detached: io.timeoutMs !== undefined,
      });
      let stdout = "";
      let stderr = "";
      let timedOut = false;
      const timer = io.timeoutMs === undefined ? undefined : setTimeout(() => {
        timedOut = true;
        try { process.kill(-child.pid!, "SIGKILL"); } catch { child.kill("SIGKILL"); }
      }, io.timeoutMs);
      const outDecoder = new TextDecoder();
      child.stdout.on("data", (b: Buffer) => { io.onStdoutBytes?.(b); const c = outDecoder.decode(b, { stream: true }); stdout += c; io.onStdout?.(c); });
      child.stderr.setEncoding("utf8").on("data", (c: string) => { stderr += c; io.onStderr?.(c); });
      child.stdin.on("error", () => {}); // command may exit without reading stdin
      if (io.stdin instanceof Readable) {
        io.stdin.on("error", (e) => { child.kill("SIGKILL"); reject(e); });
        io.stdin.pipe(child.stdin);
      } else {
        child.stdin.end(io.stdin ?? "");
      }
      child.on("error", (e) => { clearTimeout(timer); reject(e); });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        if (timedOut) reject(new CommandTimedOut("localhost", line, io.timeoutMs!));
        else resolvePromise({ stdout: stdout + outDecoder.decode(), stderr, code: code ?? (signal ? 128 + signalNumber(signal) : 1) });
      });
    });
  }

  async upload(_host: string, content: string | Uint8Array, path: string, mode: number): Promise<void> {
    const target = resolve(this.opts.cwd ?? process.cwd(), path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content, { mode });
    await chmod(target, mode);
  }

  /** SSHKit's local user: $USER, $LOGNAME or $USERNAME, else the account name. */
  displayUser(): string | undefined {
    const env = this.opts.env ?? process.env;
    const named = env.USER || env.LOGNAME || env.USERNAME;
    if (named) return named;
    try { return userInfo().username; } catch { return undefined; }
  }

  async close(): Promise<void> {}
}

function signalNumber(signal: string): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };
  return table[signal] ?? 0;
}
