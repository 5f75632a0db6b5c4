// HTTP/1.1 message heads and body framing for the raw-socket fast path (fast/listener.ts), in one pass each: the
// request head is split into what is passed on untouched and the few fields the proxy reads or rewrites; the
// response head is scanned for its framing and hop-by-hop fields only. A request that needs anything more
// (a body, an upgrade, an unusual Connection header, a malformed head) is reported as null, and the connection is
// handed to the full Bun.serve pipeline, which decides (and answers 400 where the head is malformed).

export const HEAD_END = Buffer.from("\r\n\r\n");
/** Heads longer than this go to the full path (Bun.serve answers 431 there). */
export const MAX_HEAD_BYTES = 64 * 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface RequestScan {
  method: string;
  /** Raw request target (origin form: path and query). */
  target: string;
  host: string;
  /** The field lines passed on as sent (each with CRLF): all but hop-by-hop and the rewritten forwarding fields. */
  passthrough: string;
  /** All field lines as sent, for --log-request-header lookups. */
  lines: string[];
  connectionClose: boolean;
  /** `TE: trailers` is passed on (other TE values are hop-by-hop). */
  trailers: boolean;
  requestId: string | null;
  requestStart: string | null;
  forwardedFor: string | null;
  forwardedHost: string | null;
  forwardedProto: string | null;
  kamalTarget: string | null;
  userAgent: string;
  contentType: string;
}

/** Whether a comma-separated field value lists `token` (case-insensitive). */
export function listsToken(value: string | null, token: string): boolean {
  if (!value) return false;
  for (const part of value.split(",")) if (part.trim().toLowerCase() === token) return true;
  return false;
}

const join = (previous: string | null, value: string) => (previous === null ? value : `${previous}, ${value}`);

/** Scans a request head (without the final blank line). Null: not for the fast path. */
export function scanRequestHead(head: string): RequestScan | null {
  const lines = head.split("\r\n");
  const first = lines[0]!;
  const sp1 = first.indexOf(" ");
  const sp2 = first.indexOf(" ", sp1 + 1);
  if (sp1 <= 0 || sp2 < 0 || first.length !== sp2 + 9 || !first.endsWith(" HTTP/1.1")) return null;
  const target = first.slice(sp1 + 1, sp2);
  if (target[0] !== "/") return null;
  const method = first.slice(0, sp1);
  if (!TOKEN.test(method)) return null;
  const scan: RequestScan = {
    method, target, host: "", passthrough: "", lines, connectionClose: false, trailers: false, requestId: null, requestStart: null,
    forwardedFor: null, forwardedHost: null, forwardedProto: null, kamalTarget: null, userAgent: "", contentType: "",
  };
  let hosts = 0;
  let passthrough = "";
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    const rawName = line.slice(0, colon);
    if (!TOKEN.test(rawName)) return null;
    const value = line.slice(colon + 1).trim();
    switch (rawName.toLowerCase()) {
      case "host":
        hosts++;
        scan.host = value;
        break;
      case "connection":
        for (const part of value.split(",")) {
          const token = part.trim().toLowerCase();
          if (token === "close") scan.connectionClose = true;
          else if (token !== "keep-alive" && token !== "") return null; // names more hop-by-hop fields: full path
        }
        continue;
      case "keep-alive":
      case "proxy-connection":
      case "proxy-authenticate":
      case "proxy-authorization":
      case "trailer":
      case "forwarded":
        continue;
      case "transfer-encoding":
      case "upgrade":
      case "expect":
        return null;
      case "content-length":
        if (value !== "0") return null;
        break;
      case "te":
        scan.trailers = listsToken(value, "trailers");
        continue;
      case "x-forwarded-for":
        scan.forwardedFor = join(scan.forwardedFor, value);
        continue;
      case "x-forwarded-host":
        scan.forwardedHost = join(scan.forwardedHost, value);
        continue;
      case "x-forwarded-proto":
        scan.forwardedProto = join(scan.forwardedProto, value);
        continue;
      case "x-kamal-target":
        scan.kamalTarget = join(scan.kamalTarget, value);
        continue;
      case "x-request-id":
        scan.requestId ??= value;
        break;
      case "x-request-start":
        scan.requestStart ??= value;
        break;
      case "user-agent":
        scan.userAgent = scan.userAgent === "" ? value : `${scan.userAgent}, ${value}`;
        break;
      case "content-type":
        scan.contentType = scan.contentType === "" ? value : `${scan.contentType}, ${value}`;
        break;
    }
    passthrough += line + "\r\n";
  }
  if (hosts !== 1) return null;
  scan.passthrough = passthrough;
  return scan;
}

/** `get(name)` over a scanned head's lines (values of repeated fields joined with ", "), for the access log. */
export function lineLookup(lines: readonly string[]): { get(name: string): string | null } {
  return {
    get(name: string): string | null {
      const wanted = name.toLowerCase();
      let out: string | null = null;
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i]!;
        const colon = line.indexOf(":");
        if (colon === wanted.length && line.slice(0, colon).toLowerCase() === wanted) out = join(out, line.slice(colon + 1).trim());
      }
      return out;
    },
  };
}

export interface ResponseScan {
  status: number;
  /** Content-Length, -1 when absent (or overridden by chunked). */
  length: number;
  chunked: boolean;
  /** The upstream closes the connection after this response. */
  close: boolean;
  contentType: string;
  /** The head without hop-by-hop fields and Content-Length (and without the final CRLF pair). */
  kept: string;
}

/** Names of the response fields the scan looks at, by length (a cheap first filter before comparing). */
const RESPONSE_FIELD_LENGTHS = new Set([7, 10, 12, 14, 16, 17]);

/** Scans a response head (without the final blank line) for framing and hop-by-hop fields. Null when malformed. */
export function scanResponseHead(head: string): ResponseScan | null {
  if (!head.startsWith("HTTP/1.") || (head.length > 12 && head[12] !== " " && head[12] !== "\r")) return null;
  const status = Number(head.slice(9, 12));
  if (!Number.isInteger(status) || status < 100) return null;
  const scan: ResponseScan = { status, length: -1, chunked: false, close: head[7] === "0", contentType: "", kept: head };
  let kept = "";
  let from = 0;
  let listed: string[] | null = null;
  let lineStart = head.indexOf("\r\n");
  while (lineStart >= 0) {
    const next = head.indexOf("\r\n", lineStart + 2);
    const lineEnd = next < 0 ? head.length : next;
    const colon = head.indexOf(":", lineStart + 2);
    if (colon < 0 || colon > lineEnd) return null;
    const nameLength = colon - lineStart - 2;
    if (RESPONSE_FIELD_LENGTHS.has(nameLength)) {
      const name = head.slice(lineStart + 2, colon).toLowerCase();
      let cut = true;
      switch (name) {
        case "content-length": {
          const value = head.slice(colon + 1, lineEnd).trim();
          const length = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
          if (Number.isNaN(length) || (scan.length >= 0 && scan.length !== length)) return null;
          scan.length = length;
          break;
        }
        case "content-type":
          if (scan.contentType === "") scan.contentType = head.slice(colon + 1, lineEnd).trim();
          cut = false;
          break;
        case "connection":
          for (const part of head.slice(colon + 1, lineEnd).split(",")) {
            const token = part.trim().toLowerCase();
            if (token === "close") scan.close = true;
            else if (token === "keep-alive") scan.close = false;
            else if (token !== "") (listed ??= []).push(token);
          }
          break;
        case "transfer-encoding":
          if (listsToken(head.slice(colon + 1, lineEnd), "chunked")) scan.chunked = true;
          break;
        case "keep-alive":
        case "proxy-connection":
        case "trailer":
        case "upgrade":
          break;
        default:
          cut = false;
      }
      if (cut) {
        kept += head.slice(from, lineStart);
        from = lineEnd;
      }
    }
    lineStart = next;
  }
  if (from > 0) scan.kept = kept + head.slice(from);
  if (scan.chunked) scan.length = -1; // chunked wins over a Content-Length
  if (listed) scan.kept = withoutFields(scan.kept, listed);
  return scan;
}

/** Drops the fields a Connection header names (rare: done line by line). */
function withoutFields(head: string, names: string[]): string {
  return head
    .split("\r\n")
    .filter((line, i) => i === 0 || !names.includes(line.slice(0, Math.max(0, line.indexOf(":"))).trim().toLowerCase()))
    .join("\r\n");
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
        if (line === "") return i;
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
