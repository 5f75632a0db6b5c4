// Opening one SSH connection: socket (direct, jump host, ProxyCommand), auth list, host key check,
// DNS retry with Kamal's backoff, errors mapped to one clear line.
import { spawn } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { Duplex } from "node:stream";
import type { NodeSSH } from "node-ssh";
import { SshConnectionError, HostKeyMismatch } from "../errors.ts";
import { authMethods, describeOffered, type AuthMethod } from "./auth.ts";
import { expandProxyCommand, type ResolvedHost } from "./host-config.ts";
import type { KnownHosts } from "./known-hosts.ts";
import { SSH_DEFAULTS, type SshOptions } from "./options.ts";

const DNS_ERRORS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME"]);

export interface ConnectParams {
  host: ResolvedHost;
  opts: SshOptions;
  home: string;
  knownHosts: KnownHosts;
  /** Stream to talk through (a jump host's forwarded channel); undefined = direct TCP or ProxyCommand. */
  sock?: Duplex;
  warn: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Kamal's DNS backoff: 0.1 * 2^(n-1) s, capped at 2 s, plus up to 0.1 s of jitter. */
export const dnsBackoffSeconds = (attempt: number, random = Math.random): number =>
  Math.min(0.1 * 2 ** (attempt - 1), 2) + random() * 0.1;

export async function connectWithRetry(p: ConnectParams): Promise<NodeSSH> {
  const retries = p.opts.dnsRetries ?? SSH_DEFAULTS.dnsRetries;
  const sleep = p.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(p);
    } catch (e) {
      const code = (e as SshConnectionError).code;
      if (!(e instanceof SshConnectionError) || !code || !DNS_ERRORS.has(code) || attempt > retries) throw e;
      const delay = dnsBackoffSeconds(attempt);
      p.warn(`Retrying DNS for ${p.host.alias} (attempt ${attempt}/${retries}) in ${delay.toFixed(2)}s: ${e.message}`);
      await sleep(delay * 1000);
    }
  }
}

/** A ProxyCommand's stdio as the SSH socket; `exitCode()` is its exit status once it has ended. */
function proxyCommandSocket(command: string): { sock: Duplex; exitCode: () => number | null } {
  const child = spawn("/bin/sh", ["-c", command], { stdio: ["pipe", "pipe", "inherit"] });
  const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin } as unknown as Parameters<typeof Duplex.from>[0]);
  duplex.on("close", () => child.kill());
  // ssh2 listens for errors while it uses the socket; a late "Premature close" after it let go must not crash the run.
  duplex.on("error", () => {});
  return { sock: duplex, exitCode: () => child.exitCode };
}

/** A TCP connection with Nagle off (ssh2 leaves it on, which costs delayed-ACK stalls on every round trip). */
function tcpSocket(h: ResolvedHost, timeoutMs: number, lookup: SshOptions["lookup"]): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect({ host: h.hostname, port: h.port, noDelay: true, ...(lookup ? { lookup } : {}) });
    const timer = setTimeout(() => { s.destroy(); reject(Object.assign(new Error("Timed out while waiting for handshake"), { level: "client-timeout" })); }, timeoutMs);
    s.once("connect", () => { clearTimeout(timer); s.setNoDelay(true); resolve(s); });
    s.once("error", (e) => { clearTimeout(timer); reject(e); });
  });
}

async function connectOnce(p: ConnectParams): Promise<NodeSSH> {
  const h = p.host;
  let rejection: string | undefined;
  const timeoutMs = p.opts.connectTimeoutMs ?? SSH_DEFAULTS.connectTimeoutMs;
  let sock: Duplex;
  let proxyCommand: { command: string; exitCode: () => number | null } | undefined;
  try {
    if (p.sock) sock = p.sock;
    else if (h.proxyCommand) {
      const command = expandProxyCommand(h.proxyCommand, h);
      const started = proxyCommandSocket(command);
      sock = started.sock;
      proxyCommand = { command, exitCode: started.exitCode };
    } else sock = await tcpSocket(h, timeoutMs, p.opts.lookup);
  } catch (e) {
    throw mapConnectError(h, e);
  }
  const known = p.knownHosts.knownTypes(h.hostname, h.port);
  // Loaded on first use: commands that never open a connection don't pay for ssh2's startup.
  const [{ NodeSSH }, { default: ssh2 }] = await Promise.all([import("node-ssh"), import("ssh2")]);
  const ssh = new NodeSSH();
  const keyProblems: string[] = [];
  const warn = (message: string): void => { keyProblems.push(message); p.warn(message); };
  const methods = authMethods(h, p.opts, p.home, warn, (k) => ssh2.utils.parseKey(k));
  try {
    await ssh.connect({
      sock,
      username: h.user,
      authHandler: [...methods],
      hostVerifier: (key: Buffer) => {
        const verdict = p.knownHosts.verify(h.alias, h.hostname, h.port, key);
        if (!verdict.ok) rejection = verdict.reason;
        return verdict.ok;
      },
      ...(known.length > 0 ? { algorithms: { serverHostKey: preferKnown(known) } } : {}),
      ...forwarding(p.opts),
      keepaliveInterval: p.opts.keepaliveIntervalMs ?? SSH_DEFAULTS.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      readyTimeout: timeoutMs,
    } as Parameters<NodeSSH["connect"]>[0]);
    return ssh;
  } catch (e) {
    ssh.dispose();
    sock.destroy();
    if (rejection) throw new HostKeyMismatch(h.alias, rejection);
    const mapped = mapConnectError(h, e, { methods, keyProblems });
    if (proxyCommand && mapped.kind !== "Net::SSH::AuthenticationFailed") throw await proxyCommandFailed(h, proxyCommand, mapped);
    throw mapped;
  }
}

/** The connection went through a ProxyCommand: name it (and its exit status), not a host:port it never dialled. */
async function proxyCommandFailed(h: ResolvedHost, proxy: { command: string; exitCode: () => number | null }, mapped: SshConnectionError): Promise<SshConnectionError> {
  // The command's exit is reported a moment after its stdout closes.
  for (let i = 0; i < 20 && proxy.exitCode() === null; i++) await new Promise((r) => setTimeout(r, 10));
  const code = proxy.exitCode();
  const ended = code === null ? "did not complete the SSH handshake" : `exited with status ${code} before the SSH handshake`;
  const cause = mapped.message.replace(/ \([^()]*:\d+\)$/, ""); // its "(host:port)" was never dialled
  return new SshConnectionError(
    h.alias, `ProxyCommand ${JSON.stringify(proxy.command)} ${ended} (${cause}); check ssh/proxy_command or ProxyCommand in ~/.ssh/config`,
    mapped.kind, mapped.code,
  );
}

function forwarding(opts: SshOptions): { agent?: string; agentForward?: boolean } {
  const agent = opts.agent === false ? undefined : (opts.agent ?? (opts.env ?? process.env).SSH_AUTH_SOCK);
  return opts.forwardAgent && agent ? { agent, agentForward: true } : {};
}

/** Host key algorithms: those of the key types known_hosts has for the host first (as OpenSSH orders them). */
function preferKnown(knownTypes: string[]): string[] {
  const all = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
  const algsFor = (t: string): string[] => (t === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [t]);
  const preferred = knownTypes.flatMap(algsFor).filter((a) => all.includes(a));
  return [...new Set([...preferred, ...all])];
}

/** What the client offered, to explain an authentication failure. */
export interface AuthAttempt {
  methods: readonly AuthMethod[];
  /** Configured keys that were missing or unreadable. */
  keyProblems: readonly string[];
}

export function mapConnectError(h: ResolvedHost, e: unknown, auth?: AuthAttempt): SshConnectionError {
  const err = e as { code?: string; level?: string; message?: string };
  const where = `${h.hostname}:${h.port}`;
  const msg = err?.message ?? String(e);
  if (err?.level === "client-authentication") {
    const failed = `Authentication failed for user ${h.user}@${h.alias}`;
    const detail = auth
      ? `: offered ${describeOffered(auth.methods)}${auth.keyProblems.map((p) => `; ${p}`).join("")}. Check ssh/user and ssh/keys in the config, or add the key with ssh-add`
      : "";
    return new SshConnectionError(h.alias, failed + detail, "Net::SSH::AuthenticationFailed");
  }
  if (err?.level === "client-timeout" || /Timed out while waiting for handshake/.test(msg)) {
    return new SshConnectionError(h.alias, `Connection timed out connecting to ${where}`, "Net::SSH::ConnectionTimeout", "ETIMEDOUT");
  }
  switch (err?.code) {
    case "ECONNREFUSED":
      return new SshConnectionError(h.alias, `Connection refused - connect(2) for ${where}`, "Errno::ECONNREFUSED", err.code);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new SshConnectionError(h.alias, `No route to host - connect(2) for ${where}`, "Errno::EHOSTUNREACH", err.code);
    case "ECONNRESET":
      return new SshConnectionError(h.alias, `Connection reset by peer - ${where}`, "Errno::ECONNRESET", err.code);
  }
  if (err?.code && DNS_ERRORS.has(err.code)) {
    return new SshConnectionError(h.alias, `getaddrinfo: Name or service not known (${h.hostname})`, "SocketError", err.code);
  }
  return new SshConnectionError(h.alias, `${msg} (${where})`, "Net::SSH::ConnectionError", err?.code);
}
