// Automatic certificates for TLS services without a static certificate: read Go autocert's cache first, else
// obtain over ACME (HTTP-01) in the background right after the deploy; the HTTPS listener reloads when one arrives.
import {
  ACME_CHALLENGE_PREFIX, AcmeClient, acmeCacheDir, Http01Responder, LETS_ENCRYPT_PRODUCTION, needsRenewal, readCachedCertificate, RENEW_BEFORE_MS,
} from "./acme.ts";
import type { Logger } from "./logger.ts";
import { isOnDemandTLS, servesRootPath, type ServiceOptions } from "./options.ts";
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
  /** Names certified on demand, per service (served while that service is deployed). */
  private readonly onDemandNames = new Map<string, Set<string>>();
  private readonly onDemandInProgress = new Map<string, Promise<void>>();
  onCertificate: () => void = () => undefined;

  constructor(private readonly logger: Logger) {}

  certificateFor(host: string): CertificatePair | undefined {
    return this.certificates.get(host);
  }

  /** HTTP-01 answers for an ACME service; undefined when the path is not a challenge. */
  challengeResponse(path: string, hostname: string, options: ServiceOptions): Response | undefined {
    if (!path.startsWith(ACME_CHALLENGE_PREFIX)) return undefined;
    const allowed = options.hosts.includes(hostname) || (isOnDemandTLS(options) && this.pending.has(hostname));
    return this.responder.respond(path, allowed);
  }

  /** The names an on-demand service has certificates for. */
  onDemandCertificates(service: string): Array<[string, CertificatePair]> {
    const names = this.onDemandNames.get(service) ?? new Set<string>();
    return [...names].flatMap((name) => {
      const pair = this.certificates.get(name);
      return pair ? [[name, pair] as [string, CertificatePair]] : [];
    });
  }

  /**
   * A certificate for `host` on an on-demand service, during its first TLS handshake: from the cache when there,
   * else after `check` (the host policy) allows it, over ACME. Concurrent handshakes for one name share the work.
   */
  onDemand(service: string, options: ServiceOptions, host: string, check: () => Promise<void>): Promise<void> {
    const name = host.replace(/\.$/, "");
    let names = this.onDemandNames.get(service);
    if (!names) this.onDemandNames.set(service, (names = new Set()));
    if (this.certificates.has(name)) {
      names.add(name);
      return Promise.resolve();
    }
    const key = `${service} ${name}`;
    let work = this.onDemandInProgress.get(key);
    if (!work) {
      work = this.obtainOnDemand(name, options, check).then(() => {
        names.add(name);
        this.onCertificate();
      }).finally(() => this.onDemandInProgress.delete(key));
      this.onDemandInProgress.set(key, work);
    }
    return work;
  }

  private async obtainOnDemand(name: string, options: ServiceOptions, check: () => Promise<void>): Promise<void> {
    const cacheDir = acmeCacheDir(options.acme_cache_path, options.acme_directory);
    const directoryUrl = options.acme_directory || LETS_ENCRYPT_PRODUCTION;
    let pem = await readCachedCertificate(cacheDir, name).catch(() => undefined);
    if (!pem) {
      await check();
      this.pending.add(name);
      try {
        pem = await new AcmeClient({ directoryUrl, cacheDir, responder: this.responder }).certificate(name);
      } catch (error) {
        this.logger.error("Unable to obtain certificate", { host: name, error: (error as Error).message });
        throw error;
      } finally {
        this.pending.delete(name);
      }
      this.logger.info("Obtained certificate", { host: name });
    }
    this.certificates.set(name, parseCertificatePair(pem.certPem, pem.keyPem));
    this.sources.set(name, { directoryUrl, cacheDir });
  }

  /** Forgets what a removed service got on demand. */
  forgetOnDemand(service: string): void {
    this.onDemandNames.delete(service);
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
