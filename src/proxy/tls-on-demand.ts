// On-demand TLS host policy (kamal-proxy §2.11): before a certificate is requested for a TLS server name, the
// service's --tls-on-demand-url is asked. An absolute URL is fetched (GET, `host` query parameter, 2 s, redirects
// not followed); a path is run through the service's own handler as `GET /path?host=<name>` with `Host: <name>`.
// Only a 200 allows. A name that already has a certificate in the cache is allowed without asking.
import type { Logger } from "./logger.ts";

const CHECK_TIMEOUT_MS = 2_000;
const MAX_BODY_IN_ERROR = 256;

export class OnDemandDenied extends Error {}

/** The check URL with `host` set (other parameters kept; all sorted by name, like Go's url.Values.Encode). */
export function onDemandCheckURL(base: string, host: string): string {
  const absolute = /^https?:\/\//i.test(base);
  const url = new URL(base, "http://on-demand.invalid");
  url.searchParams.set("host", host);
  url.searchParams.sort();
  return absolute ? url.toString() : url.pathname + url.search;
}

/** Runs a synthesized request through a service's own handler (the local probe); resolves to its answer. */
export type LocalProbe = (pathAndQuery: string, host: string, signal: AbortSignal) => Promise<Response>;

export class OnDemandChecker {
  constructor(private readonly logger: Logger) {}

  /** Resolves when `host` may get a certificate; rejects with OnDemandDenied (or the network error) otherwise. */
  async check(checkUrl: string, host: string, probe: LocalProbe): Promise<void> {
    const url = onDemandCheckURL(checkUrl, host);
    const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
    const response = url.startsWith("/")
      ? await probe(url, host, signal)
      : await fetch(url, { redirect: "manual", signal });
    if (response.status === 200) {
      await response.body?.cancel().catch(() => undefined);
      return;
    }
    const body = await readPrefix(response, MAX_BODY_IN_ERROR);
    this.logger.warn("TLS on-demand check denied host", { host, status: response.status, body });
    throw new OnDemandDenied(`${host} is not allowed to get a certificate (status: ${response.status}, body: ${JSON.stringify(body)})`);
  }
}

async function readPrefix(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // a body cut short: report what arrived
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}
