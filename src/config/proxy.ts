// kamal-proxy settings of a role or accessory (configuration/proxy.rb, proxy/run.rb).
import { PROXY_VERSION } from "../version.ts";
import { deepEqual, deepMerge, hashOrEmpty, isHash, isPresent, optionalNumber, optionalString, rubyToS, type RawHash } from "./values.ts";

export const PROXY_CONTAINER_NAME = "kamal-proxy";
export const PROXY_MINIMUM_VERSION = PROXY_VERSION;
export const DEFAULT_LOG_REQUEST_HEADERS = ["Cache-Control", "Last-Modified", "User-Agent"];
export const PROXY_APPS_CONTAINER_DIRECTORY = "/home/kamal-proxy/.apps-config";

/** One kamal-proxy `deploy` flag: `--name` (value true) or `--name=value`. */
export type ProxyFlag = [name: string, value: string | true];

/** How the kamal-proxy container itself is run (`proxy.run`). Equal configs compare equal (for the conflict check). */
export class ProxyRun {
  readonly raw: RawHash;
  constructor(raw: RawHash) { this.raw = raw; }
  get debug(): boolean { return this.raw.debug === true; }
  get publish(): boolean { return this.raw.publish !== false; }
  get httpPort(): number { return optionalNumber(this.raw.http_port) ?? 80; }
  get httpsPort(): number { return optionalNumber(this.raw.https_port) ?? 443; }
  get bindIps(): string[] | undefined { return Array.isArray(this.raw.bind_ips) ? this.raw.bind_ips.map(rubyToS) : undefined; }
  get logMaxSize(): string { return "log_max_size" in this.raw ? rubyToS(this.raw.log_max_size) : "10m"; }
  get version(): string { return optionalString(this.raw.version) ?? PROXY_MINIMUM_VERSION; }
  get registry(): string | undefined { return optionalString(this.raw.registry); }
  get repository(): string { return optionalString(this.raw.repository) ?? "basecamp/kamal-proxy"; }
  get image(): string { return `${[this.registry, this.repository].filter((p) => p !== undefined).join("/")}:${this.version}`; }
  get metricsPort(): number | undefined { return optionalNumber(this.raw.metrics_port); }
  get options(): RawHash { return hashOrEmpty(this.raw.options); }
  /** `--publish` values, e.g. ["80:80", "443:443"] or ["[::1]:80:80", ...]; empty when publish is false. */
  get publishPorts(): string[] {
    if (!this.publish) return [];
    return (this.bindIps ?? [undefined]).flatMap((ip) => {
      const bind = ip === undefined ? [] : [ip.includes(":") && !/^\[.*\]$/.test(ip) ? `[${ip}]` : ip];
      return [[...bind, this.httpPort, 80].join(":"), [...bind, this.httpsPort, 443].join(":")];
    });
  }
  equals(other: ProxyRun): boolean { return deepEqual(this.raw, other.raw); }
}

export interface ProxyContext {
  deployTimeout: number;
  drainTimeout: number;
  /** `<svc[-dest]>`, for the container-side TLS and error-page directories. */
  serviceAndDestination: string;
  /** Set when `error_pages_path` is configured: the version whose error pages to serve. */
  errorPagesVersion?: string;
}

export class ProxyConfig {
  readonly raw: RawHash;
  /** Role name (for custom TLS paths); undefined for accessories and the root block. */
  readonly roleName?: string;
  constructor(raw: unknown, roleName?: string) {
    this.raw = hashOrEmpty(raw);
    this.roleName = roleName;
  }

  /** Effective role proxy = root.deep_merge(role) (role wins). */
  static mergedForRole(root: ProxyConfig, role: ProxyConfig, roleName: string): ProxyConfig {
    return new ProxyConfig(deepMerge(root.raw, role.raw), roleName);
  }

  get appPort(): number { return optionalNumber(this.raw.app_port) ?? 80; }
  get ssl(): boolean { return "ssl" in this.raw ? this.raw.ssl !== false && this.raw.ssl !== null : false; }
  get hosts(): string[] {
    if (Array.isArray(this.raw.hosts)) return this.raw.hosts.map(rubyToS);
    return typeof this.raw.host === "string" ? this.raw.host.split(",") : [];
  }
  get customSslCertificate(): boolean {
    const ssl = this.raw.ssl;
    return isHash(ssl) && isPresent(ssl.certificate_pem) && isPresent(ssl.private_key_pem);
  }
  /** Secret names holding the custom certificate and key. */
  get certificatePemSecret(): string | undefined { return isHash(this.raw.ssl) ? optionalString(this.raw.ssl.certificate_pem) : undefined; }
  get privateKeyPemSecret(): string | undefined { return isHash(this.raw.ssl) ? optionalString(this.raw.ssl.private_key_pem) : undefined; }
  get pathPrefixes(): string[] {
    if (Array.isArray(this.raw.path_prefixes)) return this.raw.path_prefixes.map(rubyToS);
    return typeof this.raw.path_prefix === "string" ? this.raw.path_prefix.split(",") : [];
  }
  get run(): ProxyRun | undefined { return isHash(this.raw.run) && isPresent(this.raw.run) ? new ProxyRun(this.raw.run) : undefined; }

  /** Host/container TLS paths, only with custom certificates: `<dir>/tls[/<role>]/{cert,key}.pem`. */
  tlsPaths(appDirectory: string): { cert: string; key: string } | undefined {
    if (!this.customSslCertificate) return undefined;
    const base = [appDirectory, "tls", ...(this.roleName ? [this.roleName] : [])].join("/");
    return { cert: `${base}/cert.pem`, key: `${base}/key.pem` };
  }

  /** The kamal-proxy `deploy` flags except `--target`, in Kamal's order (Proxy#deploy_options). */
  deployFlags(ctx: ProxyContext): ProxyFlag[] {
    const flags: ProxyFlag[] = [];
    const add = (name: string, value: unknown) => {
      if (value === undefined || value === null) return;
      for (const v of Array.isArray(value) ? value : [value]) flags.push([name, v === true ? true : rubyToS(v)]);
    };
    const seconds = (v: unknown) => (v === undefined || v === null || v === false ? undefined : `${rubyToS(v)}s`);
    const dig = (section: string, key: string): unknown => (isHash(this.raw[section]) ? (this.raw[section] as RawHash)[key] : undefined);
    const buffering = isHash(this.raw.buffering) ? this.raw.buffering : undefined;
    const tls = this.tlsPaths(`${PROXY_APPS_CONTAINER_DIRECTORY}/${ctx.serviceAndDestination}`);
    add("host", this.hosts);
    add("tls", this.ssl ? true : undefined);
    add("tls-certificate-path", tls?.cert);
    add("tls-private-key-path", tls?.key);
    add("deploy-timeout", seconds(ctx.deployTimeout));
    add("drain-timeout", seconds(ctx.drainTimeout));
    add("health-check-interval", seconds(dig("healthcheck", "interval")));
    add("health-check-timeout", seconds(dig("healthcheck", "timeout")));
    add("health-check-path", dig("healthcheck", "path"));
    add("target-timeout", seconds(this.raw.response_timeout));
    add("buffer-requests", buffering && "requests" in buffering ? buffering.requests : true);
    add("buffer-responses", buffering && "responses" in buffering ? buffering.responses : true);
    add("buffer-memory", dig("buffering", "memory"));
    add("max-request-body", dig("buffering", "max_request_body"));
    add("max-response-body", dig("buffering", "max_response_body"));
    add("path-prefix", this.pathPrefixes);
    add("strip-path-prefix", this.raw.strip_path_prefix);
    add("forward-headers", this.raw.forward_headers);
    add("tls-redirect", this.raw.ssl_redirect);
    add("log-request-header", dig("logging", "request_headers") ?? DEFAULT_LOG_REQUEST_HEADERS);
    add("log-response-header", dig("logging", "response_headers"));
    if (ctx.errorPagesVersion !== undefined) {
      add("error-pages", `${PROXY_APPS_CONTAINER_DIRECTORY}/${ctx.serviceAndDestination}/error_pages/${ctx.errorPagesVersion}`);
    }
    return flags;
  }
}
