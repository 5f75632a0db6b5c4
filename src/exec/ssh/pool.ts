// The SSH connection pool: one connection per host per run, shared by every command on that host.
// At most maxConcurrentStarts handshakes in flight; jump hosts are connected once and reused.
import { join } from "node:path";
import { Readable, type Duplex } from "node:stream";
import type { NodeSSH } from "node-ssh";
import { and, cmd, redirect, renderCmd } from "../../shell/index.ts";
import { CommandTimedOut } from "../errors.ts";
import type { CommandResult, RemoteForward, Transport, TransportIo } from "../types.ts";
import { forwardRemote, type ForwardingClient } from "./remote-forward.ts";
import { connectWithRetry } from "./connect.ts";
import { configFiles, loadSshConfig, resolveHost, type ResolvedHost } from "./host-config.ts";
import { KnownHosts } from "./known-hosts.ts";
import { parseHostSpec, SSH_DEFAULTS, type SshOptions } from "./options.ts";
import { Semaphore } from "./semaphore.ts";
import type SSHConfig from "ssh-config";

/** One pooled SSH connection (node-ssh) with its channel limit. */
export interface PooledConnection {
  ssh: NodeSSH;
  channels: Semaphore;
  /** False once the transport closed (the pool then opens a new one). */
  alive: boolean;
  /** Drop it from the pool (only if it is still the pooled one). */
  forget(): void;
}

export class SshPool implements Transport {
  readonly #opts: SshOptions;
  readonly #home: string;
  readonly #configs: SSHConfig[];
  readonly #knownHosts: KnownHosts;
  readonly #starts: Semaphore;
  readonly #connections = new Map<string, Promise<PooledConnection>>();
  #closed = false;

  constructor(opts: SshOptions = {}) {
    this.#opts = opts;
    const env = opts.env ?? process.env;
    this.#home = opts.home ?? env.HOME ?? "/root";
    this.#configs = loadSshConfig(configFiles(opts.config, this.#home), this.#home);
    this.#knownHosts = new KnownHosts(
      opts.knownHostsFile ?? join(this.#home, ".ssh", "known_hosts"),
      opts.strictHostKeyChecking ?? SSH_DEFAULTS.strictHostKeyChecking,
      opts.hashKnownHosts ?? false,
    );
    this.#starts = new Semaphore(opts.maxConcurrentStarts ?? SSH_DEFAULTS.maxConcurrentStarts);
  }

  /** How a host will be reached (after ~/.ssh/config). */
  resolve(host: string): ResolvedHost {
    return resolveHost(host, this.#opts, this.#configs, this.#home);
  }

  displayUser(): string | undefined {
    return undefined; // Kamal's hosts carry no user: "Running ... on <host>"
  }

  /** The pooled connection to a host (connecting on first use). */
  connection(host: string): Promise<PooledConnection> {
    return this.#pooled(host, () => {
      const h = this.resolve(host);
      return this.#open(h, h.jumps);
    });
  }

  #pooled(key: string, open: () => Promise<NodeSSH>): Promise<PooledConnection> {
    if (this.#closed) return Promise.reject(new Error("SSH pool is closed"));
    let pending = this.#connections.get(key);
    if (!pending) {
      const forget = (): void => { if (this.#connections.get(key) === created) this.#connections.delete(key); };
      const created: Promise<PooledConnection> = open().then((ssh) => {
        const conn: PooledConnection = { ssh, channels: new Semaphore(this.#opts.maxChannelsPerHost ?? SSH_DEFAULTS.maxChannelsPerHost), alive: true, forget };
        const dead = (): void => { conn.alive = false; forget(); }; // a dropped connection is reopened by the next command
        ssh.connection?.on("close", dead);
        ssh.connection?.on("end", dead);
        // Without a listener, a socket error on an idle connection (EPIPE, ECONNRESET) would crash the process.
        ssh.connection?.on("error", dead);
        return conn;
      });
      created.catch(forget); // the next command retries
      this.#connections.set(key, created);
      pending = created;
    }
    return pending;
  }

  async #open(h: ResolvedHost, jumps: string[]): Promise<NodeSSH> {
    let sock: Duplex | undefined;
    if (jumps.length > 0) {
      const jump = await this.#jump(jumps[jumps.length - 1], jumps.slice(0, -1));
      sock = (await jump.ssh.forwardOut("127.0.0.1", 0, h.hostname, h.port)) as unknown as Duplex;
    }
    const warn = this.#opts.onWarning ?? (() => {});
    return this.#starts.use(() =>
      connectWithRetry({ host: h, opts: this.#opts, home: this.#home, knownHosts: this.#knownHosts, sock, warn }),
    );
  }

  /** A jump host connection ("user@host:port"), itself reached through `via`. */
  #jump(spec: string, via: string[]): Promise<PooledConnection> {
    const key = `jump:${[...via, spec].join(",")}`;
    return this.#pooled(key, () => {
      const { user, host, port } = parseHostSpec(spec, "");
      const base = resolveHost(host, { ...this.#opts, proxy: undefined, proxyCommand: undefined, user: undefined, port }, this.#configs, this.#home);
      const h: ResolvedHost = { ...base, user: user || base.user, jumps: via, proxyCommand: undefined };
      return this.#open(h, via);
    });
  }

  async exec(host: string, line: string, io: TransportIo): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      const conn = await this.connection(host);
      if (!conn.alive) { conn.forget(); continue; }
      let started = false;
      try {
        return await conn.channels.use(() => execOn(conn.ssh, host, line, io, () => { started = true; }));
      } catch (e) {
        // The command never started (no channel): the connection broke under us. One retry on a new one is safe.
        if (attempt === 1 && !started && !(e instanceof CommandTimedOut)) {
          conn.forget();
          try { conn.ssh.dispose(); } catch { /* already gone */ }
          continue;
        }
        throw e;
      }
    }
  }

  /** Write a file on the host (umask 077 while creating, then chmod), relative paths from the login directory. */
  async upload(host: string, content: string | Uint8Array, remotePath: string, mode: number): Promise<void> {
    const octal = mode.toString(8).padStart(4, "0");
    const line = renderCmd(and(cmd("umask", "077"), redirect(cmd("cat"), ">", remotePath), cmd("chmod", octal, remotePath)));
    const result = await this.exec(host, line, { stdin: content });
    if (result.code !== 0) throw new Error(`Uploading ${remotePath} to ${host} failed (exit status ${result.code}): ${result.stderr.trim()}`);
  }

  /** `ssh -R` over the pooled connection (see remote-forward.ts); the forward dies with the connection. */
  async forwardRemote(host: string, bind: { address: string; port: number }, target: { host: string; port: number }): Promise<RemoteForward> {
    const conn = await this.connection(host);
    if (!conn.ssh.connection) throw new Error(`Not connected to ${host}`);
    return forwardRemote(conn.ssh.connection as unknown as ForwardingClient, bind, target);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.allSettled(all.map(async (p) => (await p).ssh.dispose()));
  }
}

async function execOn(ssh: NodeSSH, host: string, line: string, io: TransportIo, onStarted: () => void): Promise<CommandResult> {
  const outDecoder = new TextDecoder();
  const errDecoder = new TextDecoder();
  let stdout = "";
  let stderr = "";
  let channel: { close(): void; signal?(name: string): void } | undefined;
  const stdin = io.stdin === undefined || typeof io.stdin === "string" || io.stdin instanceof Readable ? io.stdin : Readable.from([Buffer.from(io.stdin)]);
  const running = ssh.execCommand(line, {
    stdin,
    noTrim: true,
    onChannel: (ch) => { channel = ch as unknown as typeof channel; onStarted(); },
    onStdout: (b) => { io.onStdoutBytes?.(b); const s = outDecoder.decode(b, { stream: true }); stdout += s; io.onStdout?.(s); },
    onStderr: (b) => { const s = errDecoder.decode(b, { stream: true }); stderr += s; io.onStderr?.(s); },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A stream that fails while being read (a file that vanished) ends the command instead of leaving it waiting for input.
  const stdinFailed = !(stdin instanceof Readable) ? null : new Promise<never>((_, reject) => {
    stdin.once("error", (e) => {
      try { channel?.close(); } catch { /* channel already gone */ }
      running.catch(() => {});
      reject(e);
    });
  });
  stdinFailed?.catch(() => {});
  const timeout = io.timeoutMs === undefined ? null : new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Ask sshd to kill the command (OpenSSH honours "signal" requests), close the channel, and stop waiting.
      try { channel?.signal?.("KILL"); channel?.close(); } catch { /* channel already gone */ }
      running.catch(() => {});
      reject(new CommandTimedOut(host, line, io.timeoutMs!));
    }, io.timeoutMs);
  });
  try {
    const r = await Promise.race([running, ...(timeout ? [timeout] : []), ...(stdinFailed ? [stdinFailed] : [])]);
    stdout += outDecoder.decode();
    stderr += errDecoder.decode();
    return { stdout, stderr, code: r.code ?? 255 };
  } finally {
    clearTimeout(timer);
  }
}
