// Errors raised while running commands on hosts, with Kamal's (SSHKit's) message shapes.
import { KamalError } from "../errors.ts";

const nothing = (s: string): string => (s.trim() === "" ? "Nothing written" : s.trim());

/** A command exited non-zero. Message (already redacted):
 *  "<cmd> exit status: N\n<cmd> stdout: <out|Nothing written>\n<cmd> stderr: <err|Nothing written>" */
export class CommandFailed extends KamalError {
  readonly host: string;
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  constructor(host: string, command: string, code: number, stdout: string, stderr: string) {
    super(
      `${command} exit status: ${code}\n${command} stdout: ${nothing(stdout)}\n${command} stderr: ${nothing(stderr)}`,
      "SSHKit::Command::Failed",
    );
    this.host = host;
    this.command = command;
    this.code = code;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** The command did not finish within its timeout. */
export class CommandTimedOut extends KamalError {
  readonly host: string;
  constructor(host: string, command: string, timeoutMs: number) {
    super(`${command} timed out after ${(timeoutMs / 1000).toFixed(1)}s on ${host}`, "SSHKit::Runner::ExecuteError");
    this.host = host;
  }
}

/** Could not connect / authenticate / verify the host key. `kind` mirrors the Net::SSH class Kamal would show. */
export class SshConnectionError extends KamalError {
  readonly host: string;
  readonly code: string | undefined;
  constructor(host: string, message: string, kind = "Net::SSH::ConnectionError", code?: string) {
    super(message, kind);
    this.host = host;
    this.code = code;
  }
}

/** known_hosts has a different key for this host (or strict checking refused an unknown one). */
export class HostKeyMismatch extends SshConnectionError {
  constructor(host: string, message: string) {
    super(host, message, "Net::SSH::HostKeyMismatch");
  }
}

/** `Exception while executing on host H: <msg>`: one host's failure inside onHosts/onRoles. */
export class HostError extends KamalError {
  readonly host: string;
  override readonly cause: unknown;
  constructor(host: string, cause: unknown, user?: string) {
    super(`Exception while executing ${user ? `as ${user}@` : "on host "}${host}: ${messageOf(cause)}`, kindOf(cause));
    this.host = host;
    this.cause = cause;
  }
}

/** `Exception while executing on <role>: <msg>` (onRoles with parallel roles). */
export class RoleError extends KamalError {
  readonly role: string;
  override readonly cause: unknown;
  constructor(role: string, cause: unknown) {
    super(`Exception while executing on ${role}: ${messageOf(cause)}`, kindOf(cause));
    this.role = role;
    this.cause = cause;
  }
}

/** Several hosts (or roles) failed: "Exceptions on N hosts:\n<msg1>\n<msg2>...". `kind` is the first cause's. */
export class MultipleHostErrors extends KamalError {
  readonly errors: readonly KamalError[];
  constructor(errors: readonly KamalError[], what: "hosts" | "roles" = "hosts") {
    super(`Exceptions on ${errors.length} ${what}:\n${errors.map((e) => e.message).join("\n")}`, errors[0]?.kind);
    this.errors = errors;
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function kindOf(e: unknown): string {
  if (e instanceof KamalError) return e.kind;
  if (e instanceof Error) return e.constructor.name;
  return "RuntimeError";
}

/** Unwrap HostError/RoleError layers to the original error (e.g. a CommandFailed or LockError thrown in the block). */
export function rootCause(e: unknown): unknown {
  let cur = e;
  while (cur instanceof HostError || cur instanceof RoleError) cur = cur.cause;
  return cur;
}
