// The Runner interface flows use to run commands on hosts (SSH) or on this machine ("localhost").
import type { Readable } from "node:stream";
import type { Cmd } from "../shell/index.ts";

export const LOCALHOST = "localhost";

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  /** "debug" hides the Running/Finished lines unless -v (Kamal runs lock and audit commands like that). Default "info". */
  level?: "info" | "debug";
  /** Kill the command after this many milliseconds (throws CommandTimedOut). */
  timeoutMs?: number;
  /** Fed to the command's stdin: bytes, or a stream read as the command consumes it (e.g. a large file; never held
   *  whole in memory). The caller closes the stream when the command is done; a read error fails the command. */
  stdin?: Stdin;
  /** Streaming callbacks (raw chunks, unredacted: redact before printing). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** stdout exactly as received (binary-safe, for --raw). */
  onStdoutBytes?: (chunk: Uint8Array) => void;
  /** Local commands only: working directory and extra environment (merged over the process env). */
  cwd?: string;
  env?: Record<string, string>;
  /** Extra values to scrub from logs/errors for this command (secretsOf(cmd) are added automatically). */
  secrets?: string[];
}

export interface Runner {
  /** Run; throws CommandFailed (redacted message) on a non-zero exit. */
  run(host: string, cmd: Cmd, opts?: RunOptions): Promise<CommandResult>;
  /** Run and return the result whatever the exit code (never throws CommandFailed). */
  exec(host: string, cmd: Cmd, opts?: RunOptions): Promise<CommandResult>;
  /** stdout with surrounding whitespace stripped; throws CommandFailed on a non-zero exit. Logged at debug level like
   *  SSHKit's capture; pass { level: "info" } for Kamal's capture_with_info. */
  capture(host: string, cmd: Cmd, opts?: RunOptions): Promise<string>;
  /** true when the command exits 0 (logged at debug level, like SSHKit's test). */
  test(host: string, cmd: Cmd, opts?: RunOptions): Promise<boolean>;
  /** Write content to remotePath (relative = the SSH user's home) with this mode (default 0o644; env files use 0o600). */
  upload(host: string, content: string | Uint8Array, remotePath: string, mode?: number): Promise<void>;
  /** Fail-slow fan-out (see fail-slow.ts onHosts): every host finishes; errors aggregated Kamal's way. */
  onHosts<T>(hosts: readonly string[], fn: (host: string) => Promise<T>): Promise<T[]>;
  /** Kamal's on_roles (see fail-slow.ts onRoles). */
  onRoles<R extends { readonly name: string; readonly hosts: readonly string[] }>(
    roles: readonly R[], hosts: readonly string[], fn: (host: string, role: R) => Promise<void>, opts?: { parallel?: boolean },
  ): Promise<void>;
  /** The same connections with the log at another verbosity (SSHKit's with_verbosity; e.g. "debug" while
   *  pushing so build output shows). Close only the original runner. */
  withVerbosity(verbosity: "debug" | "info" | "error"): Runner;
  /** SSH remote port forward: the host listens on 127.0.0.1:<remotePort> and relays to localhost:<localPort> here.
   *  Close it when done (closing the runner closes it too). */
  forwardRemote(host: string, remotePort: number, localPort: number): Promise<RemoteForward>;
  /** Close connections. */
  close(): Promise<void>;
}

/** An open SSH remote port forward. */
export interface RemoteForward {
  close(): Promise<void>;
}

/** What a concrete backend (SSH pool, local processes) must do: run one already-rendered command line. */
export interface Transport {
  exec(host: string, line: string, io: TransportIo): Promise<CommandResult>;
  upload(host: string, content: string | Uint8Array, remotePath: string, mode: number): Promise<void>;
  /** User shown in logs as "as user@host" (undefined: "on host"). */
  displayUser(host: string): string | undefined;
  /** Only remote transports (SSH) forward ports. */
  forwardRemote?(host: string, bind: { address: string; port: number }, target: { host: string; port: number }): Promise<RemoteForward>;
  close(): Promise<void>;
}

/** What a command's stdin can be. */
export type Stdin = string | Uint8Array | Readable;

export interface TransportIo {
  stdin?: Stdin;
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string>;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  onStdoutBytes?: (chunk: Uint8Array) => void;
}
