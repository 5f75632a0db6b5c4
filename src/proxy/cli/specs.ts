// The kamal-proxy commands and their flags, with kamal-proxy's names, defaults and help texts.
import { SECOND } from "../options.ts";
import type { FlagSpec } from "./flags.ts";

export interface CommandSpec {
  path: string[];
  use: string;
  short: string;
  aliases?: string[];
  /** "one" = exactly one argument (the service), "none" = no arguments. */
  args: "one" | "none" | "any";
  flags: FlagSpec[];
  required?: string[];
}

const duration = (name: string, def: number, usage: string): FlagSpec => ({ name, kind: "duration", default: def, usage });
const bool = (name: string, def: boolean, usage: string): FlagSpec => ({ name, kind: "bool", default: def, usage });
const str = (name: string, def: string, usage: string): FlagSpec => ({ name, kind: "string", default: def, usage });
const int = (name: string, def: number, usage: string): FlagSpec => ({ name, kind: "int", default: def, usage });
const strings = (name: string, usage: string): FlagSpec => ({ name, kind: "strings", default: [], usage });

export function deployFlags(defaultAcmeCache: string): FlagSpec[] {
  return [
    strings("target", "Target host(s) to deploy"),
    strings("read-target", "Read-only target host(s) to deploy"),
    strings("host", "Host(s) to serve this target on (empty for wildcard)"),
    strings("path-prefix", "Deploy the service below this path prefix"),
    bool("strip-path-prefix", true, "With --path-prefix, strip prefix from request before forwarding"),
    bool("tls", false, "Configure TLS for this target (requires a non-empty host)"),
    str("tls-on-demand-url", "", "Will make an HTTP request to the given URL, asking whether a host is allowed to have a certificate issued."),
    bool("tls-staging", false, "Use Let's Encrypt staging environment for certificate provisioning"),
    str("tls-certificate-path", "", "Configure custom TLS certificate path (PEM format)"),
    str("tls-private-key-path", "", "Configure custom TLS private key path (PEM format)"),
    str("tls-acme-cache-path", defaultAcmeCache, "Location to store ACME certificates"),
    bool("tls-redirect", true, "Redirect HTTP requests to HTTPS when TLS is enabled"),
    str("canonical-host", "", "Redirect all requests to this host (must be in the list of hosts)"),
    duration("deploy-timeout", 30 * SECOND, "Maximum time to wait for the new target to become healthy"),
    duration("drain-timeout", 30 * SECOND, "Maximum time to allow existing connections to drain before removing old target"),
    duration("health-check-interval", SECOND, "Interval between health checks"),
    duration("health-check-timeout", 5 * SECOND, "Time each health check must complete in"),
    str("health-check-path", "/up", "Path to check for health"),
    int("health-check-port", 0, "Port to use for health checks (defaults to the target port)"),
    str("health-check-host", "", "Host header to use for health checks"),
    duration("writer-affinity-timeout", SECOND, "Time after a write before read requests will be routed to readers"),
    bool("read-target-websockets", false, "Route WebSocket traffic to read targets"),
    duration("target-timeout", 30 * SECOND, "Maximum time to wait for the target server to respond when serving requests"),
    bool("buffer-requests", false, "Enable request buffering"),
    bool("buffer-responses", false, "Enable response buffering"),
    int("buffer-memory", 1 << 20, "Max size of memory buffer"),
    int("max-request-body", 0, "Max size of request body when buffering (default of 0 means unlimited)"),
    int("max-response-body", 0, "Max size of response body when buffering (default of 0 means unlimited)"),
    str("error-pages", "", "Path to custom error pages"),
    strings("log-request-header", "Additional request header to log (may be specified multiple times)"),
    strings("log-response-header", "Additional response header to log (may be specified multiple times)"),
    strings("exclude-metrics-path", "Exact request paths to exclude from Prometheus metrics"),
    bool("forward-headers", false, "Forward X-Forwarded headers to target (default false if TLS enabled; otherwise true)"),
    str("client-ip-header", "", "Header containing the client IP, used to replace X-Forwarded-For"),
    bool("scope-cookie-paths", false, "Scope cookie paths to the path prefix"),
    bool("force", false, "Skip the health check and deploy immediately"),
  ];
}

export function commandSpecs(defaultAcmeCache: string): CommandSpec[] {
  return [
    {
      path: ["run"], use: "run", short: "Run the server", args: "none",
      flags: [
        bool("debug", false, "Include debugging logs"),
        int("http-port", 80, "Port to serve HTTP traffic on"),
        int("https-port", 443, "Port to serve HTTPS traffic on"),
        int("metrics-port", 0, "Publish metrics on the specified port (default zero to disable)"),
        bool("http3", false, "Enable HTTP/3"),
      ],
    },
    { path: ["deploy"], use: "deploy <service>", short: "Deploy a target host", args: "one", flags: deployFlags(defaultAcmeCache), required: ["target"] },
    { path: ["remove"], use: "remove <service>", short: "Remove the service", aliases: ["rm"], args: "one", flags: [] },
    {
      path: ["pause"], use: "pause <service>", short: "Pause a service", args: "one",
      flags: [
        duration("drain-timeout", 30 * SECOND, "How long to allow in-flight requests to complete"),
        duration("max-pause", 30 * SECOND, "How long to enqueue requests before shedding load"),
      ],
    },
    { path: ["resume"], use: "resume <service>", short: "Resume a service", args: "one", flags: [] },
    {
      path: ["stop"], use: "stop <service>", short: "Stop a service", args: "one",
      flags: [
        duration("drain-timeout", 30 * SECOND, "How long to allow in-flight requests to complete"),
        str("message", "", "Message to display to clients while stopped"),
      ],
    },
    { path: ["list"], use: "list", short: "List the services currently running", aliases: ["ls"], args: "none", flags: [] },
    {
      path: ["rollout", "deploy"], use: "deploy <service>", short: "Deploy the rollout target", args: "one", required: ["target"],
      flags: [
        strings("target", "Target host(s) to deploy"),
        strings("read-target", "Read-only target host(s) to deploy"),
        duration("deploy-timeout", 30 * SECOND, "Maximum time to wait for the new target to become healthy"),
        duration("drain-timeout", 30 * SECOND, "Maximum time to allow existing connections to drain before removing old target"),
      ],
    },
    {
      path: ["rollout", "set"], use: "set <service>", short: "Set traffic split for rollout", args: "one",
      flags: [int("percent", 0, "Percentage of traffic to send to the rollout target"), strings("list", "List of cookie values to send to the rollout target")],
    },
    { path: ["rollout", "stop"], use: "stop <service>", short: "Stop sending traffic to the rollout target", args: "one", flags: [] },
    { path: ["version"], use: "version", short: "Print the kamal-proxy version this build is compatible with", args: "none", flags: [] },
  ];
}
