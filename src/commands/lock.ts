// Deploy lock commands (reference §3.10). The lock is a directory on the primary host (atomic mkdir);
// its details file holds base64 text so any name or message stays shell-safe.
import { and, cmd, pipe, redirect, type Cmd } from "../shell/index.ts";

/** What the lock commands need from the configuration. */
export interface LockNames {
  readonly runDirectory: string;
  /** `<service>[-<destination>]` */
  readonly serviceAndDestination: string;
}

export const lockDir = (c: LockNames): string => `${c.runDirectory}/lock-${c.serviceAndDestination}`;
export const lockDetailsFile = (c: LockNames): string => `${lockDir(c)}/details`;

/** `Locked by: <name> at <UTC iso8601>\nVersion: <version>\nMessage: <message>` */
export function lockDetails(lockedBy: string, at: Date, version: string, message: string): string {
  return `Locked by: ${lockedBy} at ${iso8601(at)}\nVersion: ${version}\nMessage: ${message}`;
}

/** Ruby's Time#utc.iso8601: seconds precision, `Z`. */
export const iso8601 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Base64 of UTF-8 text on one line (Kamal wraps at 60 columns; `base64 -d` reads both). */
export const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** mkdir .kamal/lock-<svc> && echo <base64 details> > .kamal/lock-<svc>/details */
export const acquireLock = (c: LockNames, details: string): Cmd =>
  and(cmd("mkdir", lockDir(c)), redirect(cmd("echo", base64(details)), ">", lockDetailsFile(c)));

/** test -d .kamal/lock-<svc> (after a failed acquire: held, or some other mkdir failure?) */
export const lockDirExists = (c: LockNames): Cmd => cmd("test", "-d", lockDir(c));

/** stat .kamal/lock-<svc> > /dev/null && cat .kamal/lock-<svc>/details | base64 -d */
export const lockStatus = (c: LockNames): Cmd =>
  and(redirect(cmd("stat", lockDir(c)), ">", "/dev/null"), pipe(cmd("cat", lockDetailsFile(c)), cmd("base64", "-d")));

/** rm .kamal/lock-<svc>/details && rm -r .kamal/lock-<svc> */
export const releaseLock = (c: LockNames): Cmd => and(cmd("rm", lockDetailsFile(c)), cmd("rm", "-r", lockDir(c)));
