// TLS for the proxy (kamal-proxy §2.11): static certificates per service loaded from PEM files, certificate
// selection by SNI with the router's host rules (exact -> one-level wildcard -> catch-all), the default hostname
// for SNI-less clients, and the HTTP->HTTPS / canonical-host 301 redirect (§2.3 step 2).
//
// Two ways to serve them (both tested in test/proxy/tls.test.ts):
// - Bun.serve({ tls: certificates.bunTlsOptions() }): Bun picks the entry whose serverName matches the SNI
//   (wildcards one level deep) and uses the FIRST entry for SNI-less or unknown names. Bun 1.4 ignores
//   `server.reload({ tls })`, so a certificate change needs a new HTTPS listener.
// - node:tls createServer({ SNICallback: certificates.sniCallback() }): dynamic, and unknown names fail the
//   handshake like kamal-proxy (`unknown server name`). (Bun ignores SNICallback on node:https; raw node:tls honours it.)
import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createSecureContext, type SecureContext } from "node:tls";

export interface CertificatePair {
  certPem: string;
  keyPem: string;
  /** DNS names of the leaf (subjectAltName DNS entries, else the subject CN). */
  names: string[];
  notAfter: Date;
}

export class CertificateLoadError extends Error {
  constructor(readonly detail: string) {
    super("unable to load certificate");
    this.name = "CertificateLoadError";
  }
}

/** Parses and checks a PEM certificate chain and its private key; throws CertificateLoadError if they don't form a pair. */
export function parseCertificatePair(certPem: string, keyPem: string): CertificatePair {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certPem);
  } catch (error) {
    throw new CertificateLoadError(`certificate: ${(error as Error).message}`);
  }
  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(createPrivateKey(keyPem));
  } catch (error) {
    throw new CertificateLoadError(`private key: ${(error as Error).message}`);
  }
  if (!matches) throw new CertificateLoadError("private key does not match the certificate");
  return { certPem, keyPem, names: certificateNames(leaf), notAfter: new Date(leaf.validTo) };
}

/** `tls.LoadX509KeyPair` equivalent for `--tls-certificate-path` / `--tls-private-key-path`. */
export async function loadCertificatePair(certPath: string, keyPath: string): Promise<CertificatePair> {
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
  } catch (error) {
    throw new CertificateLoadError((error as Error).message);
  }
  return parseCertificatePair(certPem, keyPem);
}

function certificateNames(cert: X509Certificate): string[] {
  const san = (cert.subjectAltName ?? "").split(",").map((s) => s.trim()).filter((s) => s.startsWith("DNS:")).map((s) => s.slice(4));
  if (san.length > 0) return san;
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject);
  return cn ? [cn[1]] : [];
}

/** The keys a host is looked up under, in order: exact, one-level wildcard (`*.example.com`), catch-all (""). */
export function hostLookupKeys(host: string): string[] {
  const keys = [host];
  const dot = host.indexOf(".");
  if (dot > 0) keys.push(`*${host.slice(dot)}`);
  keys.push("");
  return keys;
}

/** Request Host without its port (`example.com:8080` -> `example.com`, `[::1]:80` -> `::1`). */
export function hostWithoutPort(hostHeader: string): string {
  if (hostHeader.startsWith("[")) {
    const end = hostHeader.indexOf("]");
    return end > 0 ? hostHeader.slice(1, end) : hostHeader;
  }
  const colon = hostHeader.lastIndexOf(":");
  if (colon > 0 && hostHeader.indexOf(":") === colon && /^\d*$/.test(hostHeader.slice(colon + 1))) return hostHeader.slice(0, colon);
  return hostHeader;
}

export interface BunTlsEntry {
  serverName?: string;
  cert: string;
  key: string;
}

interface ServiceCertificate {
  hosts: string[];
  pair: CertificatePair;
}

/** Certificates of the TLS-enabled root-path services, keyed by service name. */
export class TlsCertificates {
  private readonly services = new Map<string, ServiceCertificate>();
  private readonly contexts = new WeakMap<CertificatePair, SecureContext>();

  /** Installs (or replaces) the certificate of a service; hosts as deployed (`[]` or `[""]` = catch-all). */
  set(service: string, hosts: readonly string[], pair: CertificatePair): void {
    const normalised = hosts.length === 0 ? [""] : [...hosts];
    this.services.delete(service);
    this.services.set(service, { hosts: normalised, pair });
  }

  remove(service: string): void {
    this.services.delete(service);
  }

  get size(): number {
    return this.services.size;
  }

  /** The certificate for an SNI name, by the router's rules; undefined = `unknown server name`. */
  certificateFor(serverName: string): CertificatePair | undefined {
    for (const key of hostLookupKeys(serverName)) {
      for (const entry of this.services.values()) if (entry.hosts.includes(key)) return entry.pair;
    }
    return undefined;
  }

  /** Hostname used for ClientHellos without SNI: first installed service with a real first host (deterministic,
   *  where kamal-proxy picks one in random map order). */
  defaultHostname(): string | undefined {
    for (const entry of this.services.values()) if (entry.hosts[0]) return entry.hosts[0];
    return undefined;
  }

  /** Entries for Bun.serve's `tls` option. The first has no serverName and answers SNI-less and unknown names:
   *  the catch-all service's certificate, else the default hostname's. Later duplicates of a name win in Bun. */
  bunTlsOptions(): BunTlsEntry[] {
    const entries: BunTlsEntry[] = [];
    const defaultName = this.defaultHostname();
    const fallback = this.catchAll() ?? (defaultName !== undefined ? this.certificateFor(defaultName) : undefined);
    if (fallback) entries.push({ cert: fallback.certPem, key: fallback.keyPem });
    for (const entry of this.services.values()) {
      for (const host of entry.hosts) {
        if (host !== "") entries.push({ serverName: host, cert: entry.pair.certPem, key: entry.pair.keyPem });
      }
    }
    return entries;
  }

  private catchAll(): CertificatePair | undefined {
    for (const entry of this.services.values()) if (entry.hosts.includes("")) return entry.pair;
    return undefined;
  }

  /** node:tls SNICallback: picks the certificate by SNI, fails the handshake with `unknown server name` otherwise. */
  sniCallback(): (serverName: string, callback: (error: Error | null, context?: SecureContext) => void) => void {
    return (serverName, callback) => {
      const name = serverName || this.defaultHostname();
      const pair = name === undefined ? undefined : this.certificateFor(name);
      if (!pair) return callback(new Error(serverName ? "unknown server name" : "no server name provided"));
      callback(null, this.secureContext(pair));
    };
  }

  secureContext(pair: CertificatePair): SecureContext {
    let context = this.contexts.get(pair);
    if (!context) {
      context = createSecureContext({ cert: pair.certPem, key: pair.keyPem });
      this.contexts.set(pair, context);
    }
    return context;
  }
}

export interface RedirectOptions {
  tlsEnabled: boolean;
  tlsRedirect: boolean;
  canonicalHost: string;
}

/**
 * The 301 a service answers before proxying (§2.3 step 2), or undefined to go on. One hop for scheme and host
 * together; the port is dropped (kamal-proxy quirk: HTTPS is always the implicit 443); path and query kept.
 * GET/HEAD get Go's `text/html` Content-Type, GET the `<a href>` body; every redirect carries `Connection: close`.
 */
export function redirectResponse(request: Request, options: RedirectOptions, isTls: boolean): Response | undefined {
  const url = new URL(request.url);
  const host = hostWithoutPort(request.headers.get("host") ?? url.host);
  const scheme = isTls ? "https" : "http";
  const wantScheme = options.tlsEnabled && options.tlsRedirect && scheme === "http" ? "https" : scheme;
  const wantHost = options.canonicalHost && options.canonicalHost !== host ? options.canonicalHost : host;
  if (wantScheme === scheme && wantHost === host) return undefined;
  const location = `${wantScheme}://${wantHost}${url.pathname}${url.search}`;
  const headers = new Headers({ location, connection: "close" });
  let body: string | null = null;
  if (request.method === "GET" || request.method === "HEAD") headers.set("content-type", "text/html; charset=utf-8");
  if (request.method === "GET") body = `<a href="${escapeAttribute(location)}">Moved Permanently</a>.\n\n`;
  return new Response(body, { status: 301, headers });
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c]!);
}
