// ~/.ssh/known_hosts: plain and hashed (|1|salt|hmac) entries, host patterns, @revoked; OpenSSH accept-new.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { cmd, redirect, renderCmd } from "../../shell/index.ts";
import type { StrictHostKeyChecking } from "./options.ts";

interface Entry {
  line: number;
  marker: "" | "@revoked" | "@cert-authority";
  hosts: string; // the host field as written
  type: string;
  key: string; // base64 blob
}

export type HostKeyVerdict =
  | { ok: true; added: boolean }
  | { ok: false; reason: string };

/** "[host]:port" unless port 22, as OpenSSH writes it. */
export const knownHostsName = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`);

/** Key type and SHA256 fingerprint of a public key blob (SSH wire format). */
export function keyInfo(blob: Buffer): { type: string; fingerprint: string } {
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = blob.subarray(4, 4 + len).toString("latin1");
  const fingerprint = "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
  return { type, fingerprint };
}

function parse(text: string): Entry[] {
  const entries: Entry[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/\s+/);
    let marker: Entry["marker"] = "";
    if (fields[0] === "@revoked" || fields[0] === "@cert-authority") marker = fields.shift() as Entry["marker"];
    if (fields.length < 3) return;
    entries.push({ line: i + 1, marker, hosts: fields[0], type: fields[1], key: fields[2] });
  });
  return entries;
}

/** known_hosts patterns know only `*` and `?` ("[host]:port" brackets are literal). Case-insensitive like OpenSSH. */
function wildcardMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\/-]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "i").test(name);
}

function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (!salt || !hash) return false;
    return createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64") === hash;
  }
  let matched = false;
  for (const pattern of field.split(",")) {
    if (pattern.startsWith("!")) {
      if (wildcardMatch(pattern.slice(1), name)) return false;
    } else if (wildcardMatch(pattern, name)) matched = true;
  }
  return matched;
}

function hashedName(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
}

/** One known_hosts file, read once, appended to as new hosts are accepted. */
export class KnownHosts {
  #entries: Entry[] | null = null;
  constructor(
    readonly file: string,
    private readonly policy: StrictHostKeyChecking,
    private readonly hashNew = false,
  ) {}

  #load(): Entry[] {
    if (this.#entries) return this.#entries;
    try {
      this.#entries = parse(readFileSync(this.file, "utf8"));
    } catch {
      this.#entries = [];
    }
    return this.#entries;
  }

  #needsNewline(): boolean {
    try {
      const text = readFileSync(this.file, "utf8");
      return text !== "" && !text.endsWith("\n");
    } catch {
      return false;
    }
  }

  /** Key types known for this host (so the handshake can prefer them, as OpenSSH does). */
  knownTypes(host: string, port: number): string[] {
    const name = knownHostsName(host, port);
    return [...new Set(this.#load().filter((e) => e.marker === "" && hostFieldMatches(e.hosts, name)).map((e) => e.type))];
  }

  /** Check the key a server offers. `label` is how the host is named in messages (the Kamal host). */
  verify(label: string, host: string, port: number, blob: Buffer): HostKeyVerdict {
    if (this.policy === "no") return { ok: true, added: false };
    const name = knownHostsName(host, port);
    const { type, fingerprint } = keyInfo(blob);
    const key = blob.toString("base64");
    const mine = this.#load().filter((e) => hostFieldMatches(e.hosts, name));
    if (mine.some((e) => e.marker === "@revoked" && e.key === key)) {
      return { ok: false, reason: `Host key verification failed for ${label}: the ${type} host key (${fingerprint}) is marked as revoked in ${this.file}` };
    }
    const plain = mine.filter((e) => e.marker === "");
    if (plain.some((e) => e.type === type && e.key === key)) return { ok: true, added: false };
    const changed = plain.find((e) => e.type === type);
    if (changed) {
      return {
        ok: false,
        reason:
          `Host key verification failed for ${label}: REMOTE HOST IDENTIFICATION HAS CHANGED! ` +
          `The ${type} key offered by ${name} (${fingerprint}) differs from the one in ${this.file}:${changed.line}. ` +
          `Someone could be eavesdropping (man-in-the-middle), or the host key was replaced. ` +
          `If the change is expected, remove the old key with: ${renderCmd(cmd("ssh-keygen", "-f", this.file, "-R", name))}`,
      };
    }
    if (this.policy === "yes") {
      return {
        ok: false,
        reason: `Host key verification failed for ${label}: no ${type} host key is known for ${name} in ${this.file} and strict host key checking is on (add it with: ${renderCmd(redirect(cmd("ssh-keyscan", "-p", String(port), host), ">>", this.file))})`,
      };
    }
    const hostField = this.hashNew ? hashedName(name) : name;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    appendFileSync(this.file, `${this.#needsNewline() ? "\n" : ""}${hostField} ${type} ${key}\n`, { mode: 0o600 });
    this.#load().push({ line: 0, marker: "", hosts: hostField, type, key });
    return { ok: true, added: true };
  }
}
