// The example configurations Kamal validates against (`lib/kamal/configuration/docs/<section>.yml`, as
// loaded by Ruby: when a doc repeats a key, the last occurrence wins). Only the shape matters: the keys
// a section accepts and, per key, the example value whose type is required. "..." marks a sub-section
// that has its own validator (only its type is checked where it appears).
//
// Example value -> required type: string -> String ("stringish": also symbols, numbers, booleans),
// number -> Integer, boolean -> boolean, array -> Array of the first element's type, object -> Hash.

export type ExampleValue = string | number | boolean | ExampleValue[] | ExampleHash;
export interface ExampleHash { [key: string]: ExampleValue }

export const SECTION = "...";

const PROXY_RUN: ExampleHash = {
  http_port: 8080, https_port: 8443, metrics_port: 9090, debug: true, log_max_size: "30m", publish: false,
  bind_ips: ["0.0.0.0"], registry: "registry:4443", repository: "myrepo/kamal-proxy", version: "v0.8.0",
  options: { label: ["custom.label=kamal-proxy"], memory: "512m", cpus: 0.5 },
};

export const PROXY_EXAMPLE: ExampleHash = {
  host: "foo.example.com",
  hosts: ["foo.example.com", "bar.example.com"],
  app_port: 3000,
  ssl: { certificate_pem: "CERTIFICATE_PEM", private_key_pem: "PRIVATE_KEY_PEM" },
  ssl_redirect: false,
  forward_headers: true,
  response_timeout: 10,
  path_prefix: "/api,/oauth_callback",
  path_prefixes: ["/api", "/oauth_callback"],
  strip_path_prefix: false,
  healthcheck: { interval: 3, path: "/health", timeout: 3 },
  buffering: { requests: true, responses: true, max_request_body: 40_000_000, max_response_body: 0, memory: 2_000_000 },
  logging: { request_headers: ["Cache-Control", "X-Forwarded-Proto"], response_headers: ["X-Request-ID", "X-Request-Start"] },
  run: PROXY_RUN,
};

export const ROOT_EXAMPLE: ExampleHash = {
  service: "myapp",
  image: "my-image",
  labels: { "my-label": "my-value" },
  volumes: ["/path/on/host:/path/in/container:ro"],
  registry: SECTION,
  servers: SECTION,
  env: SECTION,
  asset_path: "/path/to/assets",
  hooks_path: "/user_home/kamal/hooks",
  hooks_output: { "pre-deploy": "verbose", "pre-build": "quiet" },
  secrets_path: "/user_home/kamal/secrets",
  error_pages_path: "public",
  require_destination: true,
  primary_role: "workers",
  allow_empty_roles: false,
  retain_containers: 3,
  minimum_version: "1.3.0",
  readiness_delay: 4,
  deploy_timeout: 10,
  drain_timeout: 10,
  stop_timeout: 30,
  run_directory: "/etc/kamal",
  ssh: SECTION,
  builder: SECTION,
  accessories: SECTION,
  proxy: SECTION,
  sshkit: SECTION,
  boot: SECTION,
  logging: SECTION,
  output: SECTION,
  aliases: SECTION,
};

/** `servers.workers` of docs/role.yml: a role given as a hash. */
export const ROLE_EXAMPLE: ExampleHash = {
  hosts: ["172.1.0.3", { "172.1.0.4": "experiment1" }],
  cmd: "bin/jobs",
  stop_timeout: 30,
  options: { memory: "2g", cpus: 4 },
  logging: SECTION,
  proxy: SECTION,
  labels: { "my-label": "workers" },
  env: SECTION,
  asset_path: "/public",
};

/** `accessories.mysql` of docs/accessory.yml. */
export const ACCESSORY_EXAMPLE: ExampleHash = {
  service: "mysql",
  image: "mysql:8.0",
  registry: SECTION,
  host: "mysql-db1",
  hosts: ["mysql-db1", "mysql-db2"],
  role: "mysql",
  roles: ["mysql"],
  tag: "writer",
  tags: ["writer", "reader"],
  cmd: "bin/mysqld",
  port: "127.0.0.1:3306:3306",
  labels: { app: "myapp" },
  options: { restart: "always", cpus: 2 },
  env: SECTION,
  files: [{ local: "config/secret.key", remote: "/etc/mysql/secret.key", mode: "0600", owner: "mysql:mysql" }],
  directories: [{ local: "mysql-data", remote: "/var/lib/mysql", mode: "0750", owner: "mysql:mysql" }],
  volumes: ["/path/to/mysql-logs:/var/log/mysql"],
  network: "custom",
  proxy: SECTION,
};

/** The last `registry` of docs/registry.yml (username/password are checked separately). */
export const REGISTRY_EXAMPLE: ExampleHash = {
  server: "<your registry region>-docker.pkg.dev",
  username: "_json_key_base64",
  password: ["KAMAL_REGISTRY_PASSWORD"],
};

export const BUILDER_EXAMPLE: ExampleHash = {
  arch: ["amd64"],
  remote: "ssh://docker@docker-builder",
  local: true,
  pack: { builder: "heroku/builder:24", buildpacks: ["heroku/ruby", "heroku/procfile"] },
  cache: { type: "registry", options: "mode=max", image: "kamal-app-build-cache" },
  context: ".",
  dockerfile: "Dockerfile.production",
  target: "production",
  args: { ENVIRONMENT: "production" },
  secrets: ["SECRET1", "SECRET2"],
  ssh: "default=$SSH_AUTH_SOCK",
  driver: "cloud org-name/builder-name",
  provenance: "mode=max",
  sbom: true,
};

export const SSH_EXAMPLE: ExampleHash = {
  user: "app",
  port: "2222",
  proxy: "root@proxy-host",
  proxy_command: "ssh -W %h:%p user@proxy",
  log_level: "debug",
  keys_only: false,
  keys: ["~/.ssh/id.pem"],
  key_data: ["-----BEGIN OPENSSH PRIVATE KEY----- ..."],
  config: ["~/.ssh/myconfig"],
  forward_agent: false,
};

export const SSHKIT_EXAMPLE: ExampleHash = { max_concurrent_starts: 10, pool_idle_timeout: 300, dns_retries: 3 };
export const BOOT_EXAMPLE: ExampleHash = { limit: "25%", wait: 10, parallel_roles: true };
export const LOGGING_EXAMPLE: ExampleHash = { driver: "json-file", options: { "max-size": "100m" } };
export const OUTPUT_EXAMPLE: ExampleHash = { otel: { endpoint: "http://otel-gateway:4318" }, file: { path: "/var/log/kamal/" } };
/** `aliases.uname`: an alias is a command string. */
export const ALIAS_EXAMPLE = 'app exec -p -q -r web "uname -a"';

/** `Kamal::Cli::Main.commands`: alias names may not shadow these. */
export const BUILT_IN_COMMANDS = [
  "setup", "deploy", "redeploy", "rollback", "details", "audit", "config", "docs", "init", "remove", "upgrade", "version",
  "accessory", "app", "build", "lock", "proxy", "prune", "registry", "secrets", "server",
];
