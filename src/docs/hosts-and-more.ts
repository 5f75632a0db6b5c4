// `kamal docs ssh|sshkit|accessory|boot|logging|output|alias|anchors`. Our own text.

export const SSH_DOC = `# SSH
#
# How kamal connects to the hosts. Host keys are checked against known_hosts.
ssh:
  # User (default root) and port (default 22).
  user: app
  port: 22

  # Jump host (user@host, user defaults to root) or a ProxyCommand.
  proxy: root@bastion.example.com
  proxy_command: "ssh -W %h:%p user@bastion"

  # Private key files, or key contents given as secret names from .kamal/secrets.
  keys:
    - ~/.ssh/deploy_ed25519
  key_data:
    - SSH_PRIVATE_KEY
  # Use only the keys above, not the agent's.
  keys_only: true

  # OpenSSH config: true reads the default files, false none, or a path (list).
  config: true

  # Forward the local SSH agent.
  forward_agent: false

  # SSH library log level (default fatal).
  log_level: debug
`;

export const SSHKIT_DOC = `# SSHKit
#
# Connection pool settings.
sshkit:
  # SSH connections being opened at the same time (default 30).
  max_concurrent_starts: 10

  # Seconds an idle connection stays open (default 900).
  pool_idle_timeout: 300

  # Retries when a host name does not resolve, with backoff (default 3).
  dns_retries: 3
`;

export const ACCESSORY_DOC = `# Accessory
#
# Services your app uses (databases, caches...), managed with kamal accessory.
# They are not redeployed by kamal deploy.
accessories:
  mysql:
    # Container name (default <service>-<accessory>) and image (required).
    service: mysql
    image: mysql:8.0

    # Where it runs: exactly one of host, hosts, role, roles, tag or tags.
    host: 192.168.0.2

    # Own registry (kamal docs registry); the image is prefixed with its server.
    registry:
      server: ghcr.io
      username: my-user
      password:
        - GHCR_TOKEN

    # Command after the image.
    cmd: --default-authentication-plugin=mysql_native_password

    # Published port: "3306" means 3306:3306; or "127.0.0.1:3306:3306".
    port: "127.0.0.1:3306:3306"

    # Labels, extra docker run options, env (clear/secret, no tags).
    labels:
      app: myapp
    options:
      restart: always
      memory: 1g
    env:
      clear:
        MYSQL_ROOT_HOST: "%"
      secret:
        - MYSQL_ROOT_PASSWORD

    # Files uploaded to the host and mounted (local:remote[:options]).
    # .erb files are rendered first. Or a map with local, remote, mode, owner, options.
    files:
      - config/mysql/my.cnf:/etc/mysql/my.cnf
      - local: db/setup.sql
        remote: /docker-entrypoint-initdb.d/setup.sql
        mode: "0644"

    # Directories created on the host and mounted (relative ones under ~/<service>/).
    directories:
      - data:/var/lib/mysql

    # Plain docker volumes, and the network (default kamal).
    volumes:
      - /backups:/backups
    network: kamal

    # Serve the accessory through kamal-proxy (kamal docs proxy; not merged with the root).
    proxy:
      host: db-admin.example.com
      app_port: 8080
`;

export const BOOT_DOC = `# Boot
#
# Rolling restarts of app containers.
boot:
  # Hosts booted at a time: a number, or a percentage of all hosts ("25%", at least 1).
  limit: 10

  # Seconds to wait after each group.
  wait: 2

  # Boot roles in parallel instead of one after the other.
  parallel_roles: false
`;

export const LOGGING_DOC = `# Logging
#
# Docker logging for app containers (roles may override; accessories use the root).
# Without this section, containers get --log-opt max-size=10m.
logging:
  # --log-driver
  driver: awslogs

  # --log-opt key=value for each entry
  options:
    awslogs-region: us-east-2
    awslogs-group: my-app
`;

export const OUTPUT_DOC = `# Output
#
# Where the output of each command is also sent.
output:
  # OpenTelemetry logs over OTLP/HTTP (POST <endpoint>/v1/logs).
  otel:
    endpoint: http://otel-collector:4318

  # One log file per command in this directory.
  file:
    path: log/kamal
`;

export const ALIAS_DOC = `# Aliases
#
# Your own commands: "kamal <name> [args]" runs the aliased command with the extra
# arguments appended (so they can add options such as -r workers).
# Names: lowercase letters, digits, - and _; they cannot shadow built-in commands.
aliases:
  console: app exec --interactive --reuse "bin/rails console"
  shell: app exec --interactive --reuse "bash"
  logs: app logs -f
  staging-deploy: deploy -d staging
`;

export const ANCHORS_DOC = `# Anchors and extensions
#
# The file is YAML 1.1: anchors (&name), aliases (*name) and merge keys (<<) work.
# Top-level keys starting with x- are ignored, so shared blocks can live there.
x-defaults: &defaults
  options:
    memory: 1g
  env:
    clear:
      LOG_LEVEL: info

servers:
  web:
    <<: *defaults
    hosts:
      - 192.168.0.1
  workers:
    <<: *defaults
    hosts:
      - 192.168.0.2
    cmd: bin/jobs

# ERB runs before YAML parsing, so values can come from the environment:
#   image: <%= ENV.fetch("IMAGE", "my-user/myapp") %>
# Beware YAML 1.1 booleans: yes, no, on, off are true/false, so quote them
# where a string is meant (restart: "no").
`;
