// A local registry (`registry.server: localhost:<port>`) reached from hosts (reference §3.12, Kamal's
// cli/build/port_forwarding.rb): while `fn` runs, every host listens on its own 127.0.0.1:<port> and relays to the
// registry on this machine through the run's SSH connection. All forwards are closed when `fn` ends, however it ends.
import { KamalError } from "../errors.ts";
import { messageOf, type RemoteForward, type Runner } from "../exec/index.ts";
import type { Logger } from "../output/index.ts";

export const FORWARD_TIMEOUT_MS = 30_000;

export async function withRegistryForwards<T>(
  runner: Runner, logger: Logger, hosts: readonly string[], port: number, fn: () => Promise<T>, timeoutMs = FORWARD_TIMEOUT_MS,
): Promise<T> {
  logger.say(`Setting up local registry port forwarding to ${hosts.join(", ")}...`);
  const opened = { forwards: [] as RemoteForward[], done: false };
  try {
    await openAll(runner, logger, hosts, port, opened, timeoutMs);
    return await fn();
  } finally {
    opened.done = true;
    await Promise.allSettled(opened.forwards.map((f) => f.close()));
  }
}

async function openAll(runner: Runner, logger: Logger, hosts: readonly string[], port: number, opened: { forwards: RemoteForward[]; done: boolean }, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KamalError("Timed out waiting for port forwarding to be established", "RuntimeError")), timeoutMs);
  });
  const each = hosts.map(async (host) => {
    let forward: RemoteForward;
    try {
      forward = await runner.forwardRemote(host, port, port);
    } catch (e) {
      if (/Unable to bind/.test(messageOf(e))) throw new KamalError(`Failed to establish port forward on ${host}`, "RuntimeError");
      logger.error(`Error setting up port forwarding to ${host}: ${(e as Error)?.constructor?.name ?? "Error"}: ${messageOf(e)}`);
      throw e;
    }
    if (opened.done) await forward.close(); // opened after a failure or the timeout: close it at once
    else opened.forwards.push(forward);
  });
  try {
    await Promise.race([Promise.all(each), timeout]);
  } finally {
    clearTimeout(timer);
    for (const p of each) p.catch(() => undefined); // the first failure is the one reported
  }
}
