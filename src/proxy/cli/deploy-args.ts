// Flags of `deploy` -> the Deploy call's arguments, with kamal-proxy's PreRunE checks.
import type { DeployArgs } from "../commands.ts";
import { ACME_STAGING_DIRECTORY, validateServiceOptions, type ServiceOptions, type TargetOptions } from "../options.ts";
import type { ParsedFlags } from "./flags.ts";

export class UsageError extends Error {}

export function deployArgs(service: string, flags: ParsedFlags): DeployArgs {
  const v = flags.values;
  const str = (n: string) => v.get(n) as string;
  const num = (n: string) => v.get(n) as number;
  const bool = (n: string) => v.get(n) as boolean;
  const list = (n: string) => v.get(n) as string[];
  if (flags.changed.has("max-request-body") && !flags.changed.has("buffer-requests")) {
    throw new UsageError("max-request-body can only be set when request buffering is enabled");
  }
  if (flags.changed.has("max-response-body") && !flags.changed.has("buffer-responses")) {
    throw new UsageError("max-response-body can only be set when response buffering is enabled");
  }
  const forwardHeaders = flags.changed.has("forward-headers") ? bool("forward-headers") : !bool("tls");
  const serviceOptions: ServiceOptions = {
    hosts: list("host"),
    path_prefixes: list("path-prefix"),
    tls_enabled: bool("tls"),
    tls_certificate_path: str("tls-certificate-path"),
    tls_private_key_path: str("tls-private-key-path"),
    tls_on_demand_url: str("tls-on-demand-url"),
    tls_redirect: bool("tls-redirect"),
    canonical_host: str("canonical-host"),
    acme_directory: bool("tls-staging") ? ACME_STAGING_DIRECTORY : "",
    acme_cache_path: str("tls-acme-cache-path"),
    error_page_path: str("error-pages"),
    strip_prefix: bool("strip-path-prefix"),
    writer_affinity_timeout: num("writer-affinity-timeout"),
    read_targets_accept_websockets: bool("read-target-websockets"),
    exclude_metrics_paths: list("exclude-metrics-path").length ? list("exclude-metrics-path") : null,
    client_ip_header: str("client-ip-header"),
  };
  const invalid = validateServiceOptions(serviceOptions);
  if (invalid) throw new UsageError(invalid);
  const targetOptions: TargetOptions = {
    health_check_config: {
      path: str("health-check-path"),
      port: num("health-check-port"),
      interval: num("health-check-interval"),
      timeout: num("health-check-timeout"),
      host: str("health-check-host"),
    },
    response_timeout: num("target-timeout"),
    buffer_requests: bool("buffer-requests"),
    buffer_responses: bool("buffer-responses"),
    max_memory_buffer_size: num("buffer-memory"),
    max_request_body_size: num("max-request-body"),
    max_response_body_size: num("max-response-body"),
    log_request_headers: list("log-request-header").length ? list("log-request-header") : null,
    log_response_headers: list("log-response-header").length ? list("log-response-header") : null,
    forward_headers: forwardHeaders,
    scope_cookie_paths: bool("scope-cookie-paths"),
  };
  return {
    service,
    target_urls: list("target"),
    reader_urls: list("read-target"),
    deployment_options: { deploy_timeout: num("deploy-timeout"), drain_timeout: num("drain-timeout"), force: bool("force") },
    service_options: serviceOptions,
    target_options: targetOptions,
  };
}
