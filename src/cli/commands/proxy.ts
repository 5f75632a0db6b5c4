// `kamal proxy ...` (reference §1.4).
import { defineCommand, defineGroup } from "../define.ts";
import { CONFIRMED, ROLLING } from "./shared-options.ts";

const LOGS = [
  { name: "since", alias: "s", type: "string", desc: "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)" },
  { name: "lines", alias: "n", type: "numeric", desc: "Number of log lines to pull from each server" },
  { name: "grep", alias: "g", type: "string", desc: "Show lines with grep match only (use this to fetch specific requests by id)" },
  { name: "follow", alias: "f", type: "boolean", default: false, desc: "Follow logs on primary server (or specific host set by --hosts)" },
  { name: "skip-timestamps", alias: "T", type: "boolean", default: false, desc: "Skip appending timestamps to logging output" },
] as const;

export const proxyGroup = defineGroup("proxy", "Manage kamal-proxy", [
  defineCommand({ name: "boot", desc: "Boot proxy on servers" }),
  defineCommand({
    name: "boot_config",
    desc: "Manage kamal-proxy boot configuration (deprecated: set proxy/run in the deploy YAML instead)",
    params: [{ name: "subcommand", required: true }],
    options: [
      { name: "publish", type: "boolean", default: true, desc: "Publish the proxy ports on the host" },
      { name: "publish-host-ip", type: "array", desc: "Host IP address to bind HTTP/HTTPS traffic to. Defaults to all interfaces" },
      { name: "http-port", type: "numeric", default: 80, desc: "HTTP port to publish on the host" },
      { name: "https-port", type: "numeric", default: 443, desc: "HTTPS port to publish on the host" },
      { name: "log-max-size", type: "string", default: "10m", desc: "Max size of proxy logs" },
      { name: "registry", type: "string", desc: "Registry to use for the proxy image" },
      { name: "repository", type: "string", desc: "Repository for the proxy image" },
      { name: "image-version", type: "string", desc: "Version of the proxy to run" },
      { name: "metrics-port", type: "numeric", desc: "Port to report prometheus metrics on" },
      { name: "debug", type: "boolean", default: false, desc: "Whether to run the proxy in debug mode" },
      { name: "docker-options", type: "array", desc: "Docker options to pass to the proxy container" },
    ],
  }),
  defineCommand({ name: "reboot", desc: "Reboot proxy on servers (stop container, remove container, start new container)", options: [ROLLING, CONFIRMED] }),
  defineCommand({ name: "upgrade", desc: "Upgrade to kamal-proxy on servers (stop container, remove container, start new container, reboot app)", options: [ROLLING, CONFIRMED], hidden: true }),
  defineCommand({ name: "start", desc: "Start existing proxy container on servers" }),
  defineCommand({ name: "stop", desc: "Stop existing proxy container on servers" }),
  defineCommand({ name: "restart", desc: "Restart existing proxy container on servers" }),
  defineCommand({ name: "details", desc: "Show details about proxy container from servers" }),
  defineCommand({ name: "logs", desc: "Show log lines from proxy on servers", options: LOGS }),
  defineCommand({
    name: "remove",
    desc: "Remove proxy container and image from servers",
    options: [{ name: "force", type: "boolean", default: false, desc: "Force removing proxy when apps are still installed" }],
  }),
  defineCommand({ name: "remove_container", desc: "Remove proxy container from servers", hidden: true }),
  defineCommand({ name: "remove_image", desc: "Remove proxy image from servers", hidden: true }),
  defineCommand({ name: "remove_proxy_directory", desc: "Remove the proxy directory from servers", hidden: true }),
]);
