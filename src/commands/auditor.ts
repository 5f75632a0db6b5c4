// Audit log commands (reference §3.9): one line per action appended to .kamal/<svc>[-<dest>]-audit.log on the hosts.
import { and, cmd, redirect, type Cmd } from "../shell/index.ts";

export interface AuditNames {
  readonly runDirectory: string;
  readonly serviceAndDestination: string;
}

/** Kamal's tags in order (recorded_at, performer, destination, version, service_version, service, then details). */
export type Tags = Readonly<Record<string, string | undefined>>;

/** Tags that never appear in an audit line. */
const NOT_AUDITED = new Set(["version", "service_version", "service"]);

export const auditLogFile = (c: AuditNames): string => `${c.runDirectory}/${c.serviceAndDestination}-audit.log`;

/** `[2024-05-01T10:00:00Z] [dhh@example.com] [staging] [web] Booted app version abc123` */
export function auditLine(tags: Tags, message: string): string {
  const parts = Object.entries(tags)
    .filter(([key, value]) => !NOT_AUDITED.has(key) && value !== undefined && value !== "")
    .map(([, value]) => `[${value}]`);
  return [...parts, message].join(" ");
}

/** mkdir -p .kamal && echo '<line>' >> .kamal/<svc>-audit.log */
export const recordAudit = (c: AuditNames, tags: Tags, message: string): Cmd =>
  and(cmd("mkdir", "-p", c.runDirectory), redirect(cmd("echo", auditLine(tags, message)), ">>", auditLogFile(c)));

/** tail -n 50 .kamal/<svc>-audit.log */
export const revealAudit = (c: AuditNames): Cmd => cmd("tail", "-n", "50", auditLogFile(c));
