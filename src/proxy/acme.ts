// Automatic certificates over ACME (kamal-proxy §2.11), HTTP-01 only: directory, account (terms accepted, no
// e-mail), order, http-01 challenge answered by Http01Responder on `/.well-known/acme-challenge/<token>`,
// finalize with a CSR, certificate download, and storage in Go autocert's DirCache layout so existing
// kamal-proxy volumes keep working: `<cache root>/<hex sha256(acme_directory option)>/<domain>` (PEM key + chain)
// and `acme_account+key`. TLS-ALPN-01 (kamal-proxy's other challenge) is not implemented.
// Tested against a small RFC 8555 server of our own (test/proxy/acme-test-server.ts), not against Let's Encrypt's
// software (pebble/boulder cannot be installed offline here).
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createCsr, generateEcKey, keyAuthorization, signJws } from "./acme-crypto.ts";

export const LETS_ENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory";
export const LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
export const ACME_CHALLENGE_PREFIX = "/.well-known/acme-challenge/";
/** autocert renews 30 days before expiry. */
export const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** The cache directory for an `acme_directory` option value ("" = Let's Encrypt production, hashed as ""). */
export function acmeCacheDir(cacheRoot: string, acmeDirectoryOption: string): string {
  return join(cacheRoot, createHash("sha256").update(acmeDirectoryOption).digest("hex"));
}

export function needsRenewal(certPem: string, now = Date.now()): boolean {
  return new Date(new X509Certificate(certPem).validTo).getTime() - now < RENEW_BEFORE_MS;
}

/** Tokens the proxy answers while an http-01 challenge is pending. */
export class Http01Responder {
  private readonly tokens = new Map<string, string>();

  add(token: string, keyAuth: string): void { this.tokens.set(token, keyAuth); }
  remove(token: string): void { this.tokens.delete(token); }

  /** The answer for a request path, or undefined when the path is not an ACME challenge (then route normally). */
  respond(path: string, hostAllowed = true): Response | undefined {
    if (!path.startsWith(ACME_CHALLENGE_PREFIX)) return undefined;
    if (!hostAllowed) return new Response("Forbidden\n", { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
    const keyAuth = this.tokens.get(path.slice(ACME_CHALLENGE_PREFIX.length));
    if (keyAuth === undefined) return new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
    return new Response(keyAuth, { headers: { "content-type": "text/plain" } });
  }
}

/** A certificate from the cache file format: the PEM private key followed by the PEM chain. */
export function splitCachedCertificate(text: string): { keyPem: string; certPem: string } {
  const blocks = text.match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----\n?/g) ?? [];
  const keyPem = blocks.filter((b) => /PRIVATE KEY/.test(b)).join("");
  const certPem = blocks.filter((b) => /BEGIN CERTIFICATE/.test(b)).join("");
  if (!keyPem || !certPem) throw new Error("cached certificate needs a private key and a certificate");
  return { keyPem: keyPem.endsWith("\n") ? keyPem : `${keyPem}\n`, certPem };
}

export async function readCachedCertificate(cacheDir: string, domain: string): Promise<{ keyPem: string; certPem: string } | undefined> {
  for (const name of [domain, `${domain}+rsa`]) {
    try {
      return splitCachedCertificate(await readFile(join(cacheDir, name), "utf8"));
    } catch {
      // try the next name
    }
  }
  return undefined;
}

interface Directory { newNonce: string; newAccount: string; newOrder: string }
interface Order { status: string; authorizations: string[]; finalize: string; certificate?: string }
interface Authorization { status: string; identifier: { value: string }; challenges: { type: string; url: string; token: string; status: string }[] }

export interface AcmeClientOptions {
  directoryUrl: string;
  cacheDir: string;
  responder: Http01Responder;
  fetch?: typeof fetch;
  pollIntervalMs?: number;
  timeoutMs?: number;
}

export class AcmeClient {
  private directory: Directory | undefined;
  private nonce: string | undefined;
  private accountKey: KeyObject | undefined;
  private accountUrl: string | undefined;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: AcmeClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  /** The certificate for `domain` from the cache, or obtained now (and cached). */
  async certificate(domain: string): Promise<{ keyPem: string; certPem: string }> {
    const cached = await readCachedCertificate(this.options.cacheDir, domain);
    if (cached && !needsRenewal(cached.certPem)) return cached;
    return this.obtain(domain);
  }

  async obtain(domain: string): Promise<{ keyPem: string; certPem: string }> {
    await this.ensureAccount();
    const created = await this.post(this.dir().newOrder, { identifiers: [{ type: "dns", value: domain }] });
    const orderUrl = created.headers.get("location")!;
    let order = (await created.json()) as Order;
    for (const url of order.authorizations) await this.authorize(url);
    const certKey = generateEcKey();
    const csr = createCsr(certKey, [domain]).toString("base64url");
    order = (await (await this.post(order.finalize, { csr })).json()) as Order;
    order = await this.poll(orderUrl, (o: Order) => o.status === "valid" || o.status === "invalid");
    if (order.status !== "valid" || !order.certificate) throw new Error(`ACME order for ${domain} ended ${order.status}`);
    const certPem = await (await this.post(order.certificate, undefined)).text();
    const keyPem = certKey.export({ type: "sec1", format: "pem" }) as string;
    await mkdir(this.options.cacheDir, { recursive: true, mode: 0o700 });
    await writeFile(join(this.options.cacheDir, domain), keyPem + certPem, { mode: 0o600 });
    return { keyPem, certPem };
  }

  private async authorize(url: string): Promise<void> {
    const authz = (await (await this.post(url, undefined)).json()) as Authorization;
    if (authz.status === "valid") return;
    const challenge = authz.challenges.find((c) => c.type === "http-01");
    if (!challenge) throw new Error(`no viable challenge type found for ${authz.identifier.value}`);
    this.options.responder.add(challenge.token, keyAuthorization(challenge.token, this.accountKey!));
    try {
      await this.post(challenge.url, {});
      const done = await this.poll(url, (a: Authorization) => a.status !== "pending");
      if (done.status !== "valid") throw new Error(`ACME authorization for ${authz.identifier.value} ended ${done.status}`);
    } finally {
      this.options.responder.remove(challenge.token);
    }
  }

  private async ensureAccount(): Promise<void> {
    if (this.accountUrl) return;
    if (!this.directory) {
      const res = await this.fetch(this.options.directoryUrl);
      if (!res.ok) throw new Error(`ACME directory ${this.options.directoryUrl}: HTTP ${res.status}`);
      this.directory = (await res.json()) as Directory;
    }
    const keyFile = join(this.options.cacheDir, "acme_account+key");
    try {
      this.accountKey = createPrivateKey(await readFile(keyFile, "utf8"));
    } catch {
      this.accountKey = generateEcKey();
      await mkdir(this.options.cacheDir, { recursive: true, mode: 0o700 });
      await writeFile(keyFile, this.accountKey.export({ type: "sec1", format: "pem" }) as string, { mode: 0o600 });
    }
    const res = await this.post(this.dir().newAccount, { termsOfServiceAgreed: true });
    this.accountUrl = res.headers.get("location") ?? undefined;
    if (!this.accountUrl) throw new Error("ACME server returned no account URL");
  }

  private dir(): Directory {
    if (!this.directory) throw new Error("ACME directory not loaded");
    return this.directory;
  }

  private async poll<T extends { status: string }>(url: string, finished: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 60_000);
    for (;;) {
      const value = (await (await this.post(url, undefined)).json()) as T;
      if (finished(value)) return value;
      if (Date.now() > deadline) throw new Error(`ACME: timed out waiting on ${url}`);
      await new Promise((r) => setTimeout(r, this.options.pollIntervalMs ?? 1000));
    }
  }

  /** A signed POST (payload undefined = POST-as-GET); retries once on badNonce. */
  private async post(url: string, payload: unknown, retried = false): Promise<Response> {
    const nonce = this.nonce ?? (await this.freshNonce());
    this.nonce = undefined;
    const body = JSON.stringify(signJws(this.accountKey!, url, nonce, payload, this.accountUrl));
    const res = await this.fetch(url, { method: "POST", headers: { "content-type": "application/jose+json" }, body });
    this.nonce = res.headers.get("replay-nonce") ?? undefined;
    if (res.ok) return res;
    const problem = await res.json().catch(() => ({})) as { type?: string; detail?: string };
    if (!retried && problem.type === "urn:ietf:params:acme:error:badNonce") return this.post(url, payload, true);
    throw new Error(`ACME ${url}: HTTP ${res.status} ${problem.type ?? ""} ${problem.detail ?? ""}`.trim());
  }

  private async freshNonce(): Promise<string> {
    const res = await this.fetch(this.dir().newNonce, { method: "HEAD" });
    const nonce = res.headers.get("replay-nonce");
    if (!nonce) throw new Error("ACME server returned no nonce");
    return nonce;
  }
}
