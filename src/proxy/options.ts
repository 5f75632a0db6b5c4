// Service and target options, with the same JSON field names kamal-proxy persists in its state file.
// Durations are integer nanoseconds (Go time.Duration).

export interface HealthCheckConfig {
  path: string;
  port: number;
  interval: number;
  timeout: number;
  host: string;
}

export interface ServiceOptions {
  hosts: string[];
  path_prefixes: string[];
  tls_enabled: boolean;
  tls_certificate_path: string;
  tls_private_key_path: string;
  tls_on_demand_url: string;
  tls_redirect: boolean;
  canonical_host: string;
  acme_directory: string;
  acme_cache_path: string;
  error_page_path: string;
  strip_prefix: boolean;
  writer_affinity_timeout: number;
  read_targets_accept_websockets: boolean;
  exclude_metrics_paths: string[] | null;
  client_ip_header: string;
}

export interface TargetOptions {
  health_check_config: HealthCheckConfig;
  response_timeout: number;
  buffer_requests: boolean;
  buffer_responses: boolean;
  max_memory_buffer_size: number;
  max_request_body_size: number;
  max_response_body_size: number;
  log_request_headers: string[] | null;
  log_response_headers: string[] | null;
  forward_headers: boolean;
  scope_cookie_paths: boolean;
}

export interface DeploymentOptions {
  deploy_timeout: number;
  drain_timeout: number;
  force: boolean;
}

export const SECOND = 1e9;

export const ACME_STAGING_DIRECTORY = "https://acme-staging-v02.api.letsencrypt.org/directory";

export function defaultServiceOptions(): ServiceOptions {
  return {
    hosts: [""], path_prefixes: ["/"], tls_enabled: false, tls_certificate_path: "", tls_private_key_path: "",
    tls_on_demand_url: "", tls_redirect: true, canonical_host: "", acme_directory: "", acme_cache_path: "",
    error_page_path: "", strip_prefix: true, writer_affinity_timeout: SECOND, read_targets_accept_websockets: false,
    exclude_metrics_paths: null, client_ip_header: "",
  };
}

export function defaultTargetOptions(): TargetOptions {
  return {
    health_check_config: { path: "/up", port: 0, interval: SECOND, timeout: 5 * SECOND, host: "" },
    response_timeout: 30 * SECOND, buffer_requests: false, buffer_responses: false,
    max_memory_buffer_size: 1 << 20, max_request_body_size: 0, max_response_body_size: 0,
    log_request_headers: null, log_response_headers: null, forward_headers: false, scope_cookie_paths: false,
  };
}

export function normalizePathPrefix(prefix: string): string {
  return "/" + prefix.replace(/^\/+|\/+$/g, "");
}

/** Empty host list means catch-all (`[""]`); empty prefix list means root (`["/"]`). */
export function normalizeServiceOptions(o: ServiceOptions): ServiceOptions {
  const hosts = o.hosts && o.hosts.length > 0 ? o.hosts : [""];
  const prefixes = o.path_prefixes && o.path_prefixes.length > 0 ? o.path_prefixes : ["/"];
  return { ...o, hosts, path_prefixes: prefixes.map(normalizePathPrefix) };
}

export function hasConfiguredHosts(o: ServiceOptions): boolean {
  return o.hosts.length > 0 && o.hosts.every((h) => h !== "");
}

export function servesRootPath(o: ServiceOptions): boolean {
  return o.path_prefixes.includes("/");
}

export function isOnDemandTLS(o: ServiceOptions): boolean {
  return o.tls_enabled && o.tls_on_demand_url !== "";
}

function validateOnDemandURL(url: string): string | null {
  if (url.startsWith("//")) return "tls-on-demand-url must be a path or an absolute http(s) URL";
  if (url.startsWith("/")) return null;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  if (!scheme) {
    return url.startsWith(":")
      ? `unable to parse tls-on-demand-url: parse "${url}": missing protocol scheme`
      : `unable to parse tls-on-demand-url: parse "${url}": invalid URI for request`;
  }
  const s = scheme[1]!.toLowerCase();
  if (s !== "http" && s !== "https") return `unsupported scheme "${scheme[1]}" in tls-on-demand-url`;
  const rest = url.slice(scheme[0].length);
  const host = rest.startsWith("//") ? rest.slice(2).split(/[/?#]/)[0] : "";
  if (!host) return "missing host in tls-on-demand-url";
  return null;
}

function goStringList(list: string[]): string {
  return "[" + list.join(" ") + "]";
}

/** kamal-proxy's ServiceOptions.Validate; returns the full error text or null. */
export function validateServiceOptions(input: ServiceOptions): string | null {
  const o = normalizeServiceOptions(input);
  const reason = validationReason(o);
  return reason === null ? null : `service options invalid: ${reason}`;
}

function validationReason(o: ServiceOptions): string | null {
  if (o.tls_on_demand_url !== "" && !o.tls_enabled) return "TLS must be enabled to use a TLS on-demand URL";
  if (o.tls_enabled && o.tls_on_demand_url !== "") {
    if (hasConfiguredHosts(o)) return "cannot set hosts when using a TLS on-demand URL";
    if (o.tls_certificate_path !== "" || o.tls_private_key_path !== "") {
      return "cannot use a custom TLS certificate with a TLS on-demand URL";
    }
    if (o.canonical_host !== "") return "cannot set a canonical host when using a TLS on-demand URL";
    const urlError = validateOnDemandURL(o.tls_on_demand_url);
    if (urlError) return urlError;
  }
  if (o.tls_enabled && o.tls_on_demand_url === "" && !hasConfiguredHosts(o)) return "host must be set when using TLS";
  if (o.tls_enabled && !servesRootPath(o)) return "TLS settings must be specified on the root path service";
  if (o.canonical_host !== "" && o.hosts.length > 0 && o.hosts[0] !== "" && !o.hosts.includes(o.canonical_host)) {
    return `canonical-host '${o.canonical_host}' must be present in the hosts list: ${goStringList(o.hosts)}`;
  }
  return null;
}
