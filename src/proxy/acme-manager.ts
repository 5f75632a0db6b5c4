// Automatic certificates for TLS services without a static certificate: read Go autocert's cache first, else
// obtain over ACME (HTTP-01) in the background right after the deploy; the HTTPS listener reloads when one arrives.
import {
  ACME_CHALLENGE_PREFIX, AcmeClient, acmeCacheDir, Http01Responder, LETS_ENCRYPT_PRODUCTION, needsRenewal, readCachedCertificate, RENEW_BEFORE_MS,
} from "./acme.ts";
import type { Logger } from "./logger.ts";
import { servesRootPath, type ServiceOptions } from "./options.ts";
import { parseCertificatePair, type CertificatePair } from "./tls.ts";

/** Root-path TLS services without a static certificate or on-demand URL (path services only inherit `tls_enabled`). */
export function usesAcme(options: ServiceOptions): boolean {
  return options.tls_enabled && options.tls_certificate_path === "" && options.tls_on_demand_url === "" && servesRootPath(options);
}

export class AcmeManager {
  readonly responder = new Http01Responder();
  private readonly certificates = new Map<string, CertificatePair>();
  private readonly pending = new Set<string>();
  /** Where each host's certificate comes from, for renewals. */
  private readonly sources = new Map<string, { directoryUrl: string; cacheDir: string }>();
  private renewTimer: ReturnType<typeof setInterval> | undefined;
  onCertificate: () => void = () => undefined;

  constructor(private readonly logger: Logger) {}

  certificateFor(host: string): CertificatePair | undefined {
    return this.certificates.get(host);
  }

  /** HTTP-01 answers for an ACME service; undefined when the path is not a challenge. */
  challengeResponse(path: string, hostname: string, options: ServiceOptions): Response | undefined {
    if (!path.startsWith(ACME_CHALLENGE_PREFIX)) return undefined;
    return this.responder.respond(path, options.hosts.includes(hostname));
  }

  /** Makes sure every host of an ACME service has (or will get) a certificate. */
  async ensure(options: ServiceOptions): Promise<void> {
    if (!usesAcme(options)) return;
    const cacheDir = acmeCacheDir(options.acme_cache_path, options.acme_directory);
    const directoryUrl = options.acme_directory || LETS_ENCRYPT_PRODUCTION;
    for (const host of options.hosts) {
      if (host === "") continue;
      this.sources.set(host, { directoryUrl, cacheDir });
      if (this.certificates.has(host) || this.pending.has(host)) continue;
      const cached = await readCachedCertificate(cacheDir, host).catch(() => undefined);
      if (cached) {
        try {
          // Served at once; renewed in the background when it is close to expiry.
          this.certificates.set(host, parseCertificatePair(cached.certPem, cached.keyPem));
          if (!needsRenewal(cached.certPem)) continue;
        } catch (error) {
          this.logger.warn("Ignoring unreadable cached certificate", { host, error: (error as Error).message });
        }
      }
      this.obtain(host, directoryUrl, cacheDir);
    }
    this.onCertificate();
  }

  /** Checks twice a day for certificates within 30 days of expiry and renews them in the background. */
  startRenewals(intervalMs = 12 * 3600 * 1000): void {
    this.renewTimer = setInterval(() => this.renewDue(), intervalMs);
    this.renewTimer.unref?.();
  }

  stopRenewals(): void {
    if (this.renewTimer) clearInterval(this.renewTimer);
  }

  renewDue(now = Date.now()): string[] {
    const due: string[] = [];
    for (const [host, pair] of this.certificates) {
      const source = this.sources.get(host);
      if (!source || this.pending.has(host) || pair.notAfter.getTime() - now >= RENEW_BEFORE_MS) continue;
      due.push(host);
      this.obtain(host, source.directoryUrl, source.cacheDir);
    }
    return due;
  }

  private obtain(host: string, directoryUrl: string, cacheDir: string): void {
    this.pending.add(host);
    const client = new AcmeClient({ directoryUrl, cacheDir, responder: this.responder });
    client.certificate(host).then(
      ({ certPem, keyPem }) => {
        this.certificates.set(host, parseCertificatePair(certPem, keyPem));
        this.logger.info("Obtained certificate", { host });
        this.onCertificate();
      },
      (error: unknown) => this.logger.error("Unable to obtain certificate", { host, error: (error as Error).message }),
    ).finally(() => this.pending.delete(host));
  }
}
