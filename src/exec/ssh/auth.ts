// The list of authentication attempts, in Net::SSH's order: agent (unless keys_only), then keys.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expandHome, type ResolvedHost } from "./host-config.ts";
import type { SshOptions } from "./options.ts";

export type AuthMethod =
  | { type: "agent"; username: string; agent: string }
  | { type: "publickey"; username: string; key: string | Buffer; source: string };

const DEFAULT_IDENTITIES = ["id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_dsa"];

type KeyParser = (key: string | Buffer) => unknown;

/** parseKey: ssh2's key parser (passed in, so ssh2 is only loaded when a connection is made). */
export function authMethods(h: ResolvedHost, opts: SshOptions, home: string, warn: (m: string) => void, parseKey: KeyParser): AuthMethod[] {
  const env = opts.env ?? process.env;
  const methods: AuthMethod[] = [];
  const agent = opts.agent === false ? undefined : (opts.agent ?? env.SSH_AUTH_SOCK);
  if (agent && !opts.keysOnly) methods.push({ type: "agent", username: h.user, agent });

  const files = [...(opts.keys ?? []).map((k) => expandHome(k, home)), ...h.identityFiles];
  const explicit = files.length > 0 || (opts.keyData?.length ?? 0) > 0;
  if (!explicit && !opts.keysOnly && !h.identitiesOnly) files.push(...DEFAULT_IDENTITIES.map((n) => join(home, ".ssh", n)));

  const addKey = (key: string | Buffer, where: string, quiet: boolean): void => {
    const parsed = parseKey(key);
    if (parsed instanceof Error) {
      if (!quiet) warn(`Skipping SSH key ${where}: ${parsed.message}`);
      return;
    }
    methods.push({ type: "publickey", username: h.user, key, source: where });
  };
  for (const f of [...new Set(files)]) {
    let data: Buffer;
    try { data = readFileSync(f); } catch { if (explicit) warn(`SSH key ${f} not found`); continue; }
    addKey(data, f, !explicit);
  }
  (opts.keyData ?? []).forEach((k, i) => addKey(k, `key_data[${i}]`, false));
  return methods;
}

/** What was offered, for the error when the server accepts none of it: "the SSH agent and keys ~/.ssh/id_ed25519". */
export function describeOffered(methods: readonly AuthMethod[]): string {
  const keys = methods.flatMap((m) => (m.type === "publickey" ? [m.source] : []));
  const agent = methods.some((m) => m.type === "agent");
  const keyList = keys.length > 0 ? `${keys.length === 1 ? "key" : "keys"} ${keys.join(", ")}` : "";
  if (agent && keyList) return `the SSH agent and ${keyList}`;
  if (agent) return "the SSH agent only (no key files)";
  return keyList || "no SSH agent and no readable key file";
}
