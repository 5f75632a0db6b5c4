// The deploy lock (§1.8, §1.14): a directory on the primary host. Flows that change servers wrap their work in
// withLock (Kamal's `modify(lock: true)`); `kamal lock acquire|release|status` use the functions below directly.
import { LockError } from "../errors.ts";
import { messageOf, onHosts } from "../exec/index.ts";
import { acquireLock as acquireLockCmd, lockDetails, lockDirExists, lockStatus, releaseLock as releaseLockCmd } from "../commands/lock.ts";
import { ensureRunDirectory } from "../commands/server.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";

export const AUTOMATIC_LOCK_MESSAGE = "Automatic deploy lock";
const LOCK_FOUND = "Deploy lock found. Run 'kamal lock help' for more information";

/** The remote mkdir failed: the lock is held only if the lock directory is there (not on "Permission denied" etc.). */
const mkdirFailed = (e: unknown): boolean => /cannot create directory|can't create directory/.test(messageOf(e));
/** The lock directory or its details file is missing. */
const isMissing = (e: unknown): boolean => /No such file or directory/.test(messageOf(e));

function primaryHost(ctx: Context): string {
  const host = ctx.selection.primaryHost;
  if (host === undefined) throw new LockError("No primary host to hold the deploy lock");
  return host;
}

/** `mkdir -p .kamal` on every selected host (Kamal's ensure_run_directory). */
export async function ensureRunDirectories(ctx: Context): Promise<void> {
  await preConnect(ctx);
  await onHosts(ctx.selection.hosts, (host) => ctx.runner.run(host, ensureRunDirectory(ctx.config), { level: "debug" }));
}

/** The decoded lock details, or undefined when there is no lock. */
export async function readLockStatus(ctx: Context): Promise<string | undefined> {
  await preConnect(ctx);
  try {
    const [out] = await onHosts([primaryHost(ctx)], (host) => ctx.runner.capture(host, lockStatus(ctx.config), { level: "debug" }));
    return out;
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** One attempt; resolves false when the lock is held by someone else. */
async function tryAcquire(ctx: Context, message: string): Promise<boolean> {
  const details = lockDetails(ctx.identity.lockedBy(), ctx.clock.now(), ctx.config.version, message);
  const host = primaryHost(ctx);
  try {
    await onHosts([host], (h) => ctx.runner.run(h, acquireLockCmd(ctx.config, details), { level: "debug" }));
    return true;
  } catch (e) {
    if (mkdirFailed(e) && (await ctx.runner.test(host, lockDirExists(ctx.config)))) return false;
    throw e;
  }
}

async function sayHolder(ctx: Context): Promise<string> {
  const status = (await readLockStatus(ctx)) ?? "";
  ctx.logger.say(status);
  return status;
}

/**
 * Acquire the lock with this message. Without --lock-wait a held lock prints `Deploy lock already in place!` and the
 * holder's details and throws. With --lock-wait it polls while the holder is an automatic (deploy) lock.
 */
export async function acquireLock(ctx: Context, message: string, opts: { announce?: boolean } = {}): Promise<void> {
  await ensureRunDirectories(ctx);
  if (!ctx.options.lockWait) {
    if (opts.announce) ctx.logger.say("Acquiring the deploy lock...", "magenta");
    if (!(await tryAcquire(ctx, message))) {
      ctx.logger.say("Deploy lock already in place!", "red");
      await sayHolder(ctx);
      throw new LockError(LOCK_FOUND);
    }
    ctx.state.holdingLock = true;
    return;
  }
  const timeout = ctx.options.lockWaitTimeout;
  const interval = ctx.options.lockWaitInterval;
  ctx.logger.say(`Acquiring the deploy lock (waiting up to ${timeout}s)...`, "magenta");
  const deadline = ctx.clock.now().getTime() + timeout * 1000;
  let first = true;
  for (;;) {
    if (await tryAcquire(ctx, message)) {
      ctx.state.holdingLock = true;
      return;
    }
    if (first) {
      first = false;
      ctx.logger.say("Deploy lock is held by:", "yellow");
      const status = await sayHolder(ctx);
      if (status !== "" && !status.includes(AUTOMATIC_LOCK_MESSAGE)) {
        throw new LockError("Deploy lock held manually, not waiting. Run 'kamal lock help' for more information");
      }
    }
    const remaining = Math.max(0, Math.ceil((deadline - ctx.clock.now().getTime()) / 1000));
    if (remaining <= 0) {
      ctx.logger.say(`Timed out after ${timeout}s waiting for the deploy lock`, "red");
      throw new LockError("Timed out waiting for deploy lock");
    }
    ctx.logger.say(`Retrying in ${interval}s (${remaining}s remaining)...`, "magenta");
    await ctx.clock.sleep(Math.min(interval, remaining) * 1000);
  }
}

/** Release; resolves false when there was no lock. */
export async function releaseLock(ctx: Context, opts: { announce?: boolean } = {}): Promise<boolean> {
  await preConnect(ctx);
  if (opts.announce) ctx.logger.say("Releasing the deploy lock...", "magenta");
  try {
    await onHosts([primaryHost(ctx)], (host) => ctx.runner.run(host, releaseLockCmd(ctx.config), { level: "debug" }));
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  } finally {
    ctx.state.holdingLock = false;
  }
}

/** Kamal's modify(lock: true): re-entrant; acquires the automatic lock, runs fn, releases (also on failure). */
export async function withLock<T>(ctx: Context, fn: () => Promise<T>): Promise<T> {
  if (ctx.state.holdingLock) return fn();
  await acquireLock(ctx, AUTOMATIC_LOCK_MESSAGE, { announce: true });
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    try {
      await releaseLock(ctx, { announce: true });
    } catch (releaseError) {
      ctx.logger.say(`Error releasing the deploy lock: ${messageOf(releaseError)}`, "red");
    }
    throw e;
  }
  await releaseLock(ctx, { announce: true });
  return result;
}

// ---- `kamal lock ...` ----

export async function lockStatusCommand(ctx: Context): Promise<void> {
  const status = await readLockStatus(ctx);
  ctx.logger.say(status ?? "There is no deploy lock");
}

export async function lockAcquireCommand(ctx: Context, message: string): Promise<void> {
  await acquireLock(ctx, message);
  ctx.logger.say("Acquired the deploy lock");
}

export async function lockReleaseCommand(ctx: Context): Promise<void> {
  const released = await releaseLock(ctx);
  ctx.logger.say(released ? "Released the deploy lock" : "There is no deploy lock");
}
