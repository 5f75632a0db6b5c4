// HTTP/1.1 message heads and body framing for the raw-socket fast path (fast/listener.ts). Only what a proxy needs:
// the head split into fields, and where a body ends. Anything unusual is reported as null so the caller can hand
// the connection to the full Bun.serve path, which answers malformed requests itself.

export const HEAD_END = Buffer.from("\r\n\r\n");
/** Heads longer than this go to the full path (Bun.serve answers 431 there). */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface HeadFields {
  /** Lower-cased field names, in order (repeats kept). */
  names: string[];
  /** Names as sent. */
  rawNames: string[];
  values: string[];
}

export interface RequestHead extends HeadFields {
  method: string;
  /** Raw request target (origin form: path and query). */
  target: string;
  version: string;
}

export interface ResponseHead extends HeadFields {
  status: number;
  /** The whole status line without CRLF, e.g. `HTTP/1.1 200 OK`. */
  statusLine: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function parseFields(lines: string[], into: HeadFields, strict: boolean): boolean {
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) return false;
    const rawName = line.slice(0, colon);
    if (strict && !TOKEN.test(rawName)) return false;
    into.rawNames.push(rawName);
    into.names.push(rawName.toLowerCase());
    into.values.push(line.slice(colon + 1).trim());
  }
  return true;
}

/** Parses `METHOD target HTTP/1.x` and the fields; `head` excludes the final blank line. Null when malformed. */
export function parseRequestHead(head: string): RequestHead | null {
  const lines = head.split("\r\n");
  const first = lines[0]!;
  const sp1 = first.indexOf(" ");
  const sp2 = first.indexOf(" ", sp1 + 1);
  if (sp1 <= 0 || sp2 < 0 || first.indexOf(" ", sp2 + 1) >= 0) return null;
  const method = first.slice(0, sp1);
  if (!TOKEN.test(method)) return null;
  const parsed: RequestHead = { method, target: first.slice(sp1 + 1, sp2), version: first.slice(sp2 + 1), names: [], rawNames: [], values: [] };
  return parseFields(lines, parsed, true) ? parsed : null;
}

/** Parses `HTTP/1.x NNN reason` and the fields (names not re-validated: the upstream is ours). Null when malformed. */
export function parseResponseHead(head: string): ResponseHead | null {
  const lines = head.split("\r\n");
  const statusLine = lines[0]!;
  if (!statusLine.startsWith("HTTP/1.")) return null;
  const status = Number(statusLine.slice(9, 12));
  if (!Number.isInteger(status) || status < 100 || status > 999 || (statusLine.length > 12 && statusLine[12] !== " ")) return null;
  const parsed: ResponseHead = { status, statusLine, names: [], rawNames: [], values: [] };
  return parseFields(lines, parsed, false) ? parsed : null;
}

/** First value of a field, or null. */
export function field(head: HeadFields, name: string): string | null {
  const i = head.names.indexOf(name);
  return i < 0 ? null : head.values[i]!;
}

/** All values of a field joined with ", " (as Headers.get does), or null. */
export function joinedField(head: HeadFields, name: string): string | null {
  let out: string | null = null;
  for (let i = 0; i < head.names.length; i++) {
    if (head.names[i] === name) out = out === null ? head.values[i]! : `${out}, ${head.values[i]}`;
  }
  return out;
}

/** Whether a comma-separated field value lists `token` (case-insensitive). */
export function listsToken(value: string | null, token: string): boolean {
  if (!value) return false;
  for (const part of value.split(",")) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/** A `get(name)` view of head fields, for the access log's --log-request-header values. */
export function fieldLookup(head: HeadFields): { get(name: string): string | null } {
  return { get: (name: string) => joinedField(head, name.toLowerCase()) };
}

/**
 * Finds where a chunked body ends, across as many `feed` calls as the bytes arrive in. Chunk extensions and
 * trailers are skipped. `feed` returns the number of bytes of `data` that belong to the body, or -1 when all of
 * them do and the body goes on; `failed` is set on a framing error.
 */
export class ChunkedScanner {
  /** Bytes of chunk data (plus its CRLF) still to skip. */
  private remaining = 0;
  /** Partial size line or trailer line carried over between feeds. */
  private line = "";
  private inTrailers = false;
  failed = false;
  done = false;

  feed(data: Uint8Array): number {
    let i = 0;
    while (i < data.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length - i);
        this.remaining -= take;
        i += take;
        continue;
      }
      const lf = data.indexOf(10, i);
      if (lf < 0) {
        this.line += Buffer.from(data.buffer, data.byteOffset + i, data.length - i).toString("latin1");
        if (this.line.length > 4096) this.failed = true;
        return -1;
      }
      const line = (this.line + Buffer.from(data.buffer, data.byteOffset + i, lf - i).toString("latin1")).replace(/\r$/, "");
      this.line = "";
      i = lf + 1;
      if (this.inTrailers) {
        if (line === "") {
          this.done = true;
          return i;
        }
        continue;
      }
      const sizeText = line.split(";")[0]!.trim();
      if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText)) {
        this.failed = true;
        return -1;
      }
      const size = parseInt(sizeText, 16);
      if (size === 0) this.inTrailers = true;
      else this.remaining = size + 2;
    }
    return -1;
  }
}
