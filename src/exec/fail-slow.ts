// Kamal's fail-slow parallel execution (§5b): every host runs to completion; failures are collected.
// One failure -> that host's HostError; several -> MultipleHostErrors "Exceptions on N hosts:\n...".
import { HostError, MultipleHostErrors, RoleError } from "./errors.ts";

export interface OnHostsOptions {
  /** If the log should say "as user@host" instead of "on host" (Kamal's hosts carry no user: leave unset). */
  userOf?: (host: string) => string | undefined;
}

/** Run fn on every host in parallel (duplicates removed, order kept). Resolves to results in host order. */
export async function onHosts<T>(hosts: readonly string[], fn: (host: string) => Promise<T>, opts: OnHostsOptions = {}): Promise<T[]> {
  const unique = [...new Set(hosts)];
  const settled = await Promise.allSettled(unique.map((h) => fn(h)));
  const errors: HostError[] = [];
  settled.forEach((s, i) => {
    if (s.status === "rejected") errors.push(new HostError(unique[i], s.reason, opts.userOf?.(unique[i])));
  });
  throwCollected(errors, "hosts");
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** The minimal role shape onRoles needs. */
export interface RoleHosts {
  readonly name: string;
  readonly hosts: readonly string[];
}

/**
 * Kamal's on_roles. parallel=false (default): hosts in parallel, each host runs its roles in sequence (given order,
 * primary first). parallel=true: one task per role, each running its hosts in parallel; errors become
 * "Exception while executing on <role>: ..." and several are "Exceptions on N roles:".
 */
export async function onRoles<R extends RoleHosts>(
  roles: readonly R[],
  hosts: readonly string[],
  fn: (host: string, role: R) => Promise<void>,
  opts: { parallel?: boolean } = {},
): Promise<void> {
  if (!opts.parallel) {
    await onHosts(hosts, async (host) => {
      for (const role of roles) if (role.hosts.includes(host)) await fn(host, role);
    });
    return;
  }
  const settled = await Promise.allSettled(
    roles.map((role) => onHosts(role.hosts.filter((h) => hosts.includes(h)), (host) => fn(host, role))),
  );
  const errors: RoleError[] = [];
  settled.forEach((s, i) => {
    if (s.status === "rejected") errors.push(new RoleError(roles[i].name, s.reason));
  });
  throwCollected(errors, "roles");
}

function throwCollected(errors: (HostError | RoleError)[], what: "hosts" | "roles"): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new MultipleHostErrors(errors, what);
}
