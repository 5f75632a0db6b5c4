// Placeholders for commands whose files another engineer adds (commands/lock.ts, commands/server.ts,
// commands/audit.ts). When such a file lands, import its export in registry.ts in place of the one below.
import { defineCommand, defineGroup } from "../define.ts";
import { CMD, INTERACTIVE, RAW } from "./shared-options.ts";

export const pendingLockGroup = defineGroup("lock", "Manage the deploy lock", [
  defineCommand({ name: "status", desc: "Report lock status" }),
  defineCommand({
    name: "acquire",
    desc: "Acquire the deploy lock",
    options: [{ name: "message", alias: "m", type: "string", required: true, desc: "A lock message" }],
  }),
  defineCommand({ name: "release", desc: "Release the deploy lock" }),
]);

export const pendingServerGroup = defineGroup("server", "Bootstrap servers with curl and Docker", [
  defineCommand({ name: "exec", desc: "Run a custom command on the server (use --help to show options)", params: CMD, passUnknownOptions: true, options: [INTERACTIVE, RAW] }),
  defineCommand({ name: "bootstrap", desc: "Set up Docker to run Kamal apps" }),
]);

export const pendingAuditCommand = defineCommand({ name: "audit", desc: "Show audit log from servers" });
