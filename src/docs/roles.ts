// `kamal docs servers|role|env|registry`. Our own text.

export const SERVERS_DOC = `# Servers
#
# The hosts to deploy to, in one of three forms. Role names are sorted
# alphabetically, then the primary role (primary_role, default web) goes first.

# 1. A list of hosts: one role, named web.
servers:
  - 192.168.0.1
  - 192.168.0.2

---
# 2. Hosts with tags: a host is a string, or a one-key map host => tag or [tags].
#    Tags select extra env (kamal docs env, env/tags).
servers:
  - 192.168.0.1
  - 192.168.0.2: experiments
  - 192.168.0.3: [ experiments, canary ]

---
# 3. Roles: each is a list of hosts (tags allowed), or a map (kamal docs role).
servers:
  web:
    - 192.168.0.1
  workers:
    hosts:
      - 192.168.0.3
    cmd: bin/jobs
`;

export const ROLE_DOC = `# Role
#
# A role under servers: as a list of hosts, or as a map with these keys.
# Role settings are merged over the root ones (env, labels, logging, proxy).
servers:
  workers:
    # Hosts, optionally tagged (host => tag or [tags]).
    hosts:
      - 192.168.0.3
      - 192.168.0.4: canary

    # Command appended after the image in docker run (default: the image's CMD).
    cmd: bin/jobs

    # Extra docker run options: key: value gives --key "value", true gives --key.
    # restart is validated: no, always, unless-stopped (default) or on-failure[:N].
    options:
      memory: 2g
      cpus: 4

    # Labels merged over the root labels.
    labels:
      my-label: workers

    # Env merged over the root env (clear/secret or a plain map; no tags here).
    env:
      clear:
        QUEUES: default

    # Log settings merged over the root logging (kamal docs logging).
    logging:
      driver: json-file

    # kamal-proxy for this role: the primary role has it unless proxy: false;
    # other roles only with proxy: true or a proxy map (merged over the root proxy).
    proxy: false

    # docker stop timeout for this role, in seconds.
    stop_timeout: 30

    # Per-role asset bridging path (overrides the root asset_path).
    asset_path: /app/public/assets
`;

export const ENV_DOC = `# Env
#
# Environment variables for app containers. Clear values are passed on the docker
# command line; secret values are written to an env file (mode 0600) on each host.

# A plain map: all values are clear.
env:
  DATABASE_HOST: mysql-db1
  DATABASE_PORT: 3306

---
# Or clear / secret / tags.
env:
  clear:
    DB_USER: app
  # Secret names are read from .kamal/secrets (kamal docs configuration, secrets_path).
  # NAME:SECRET reads the secret SECRET into the variable NAME.
  secret:
    - DB_PASSWORD
    - MAIN_DB_PASSWORD:DB_PASSWORD
  # Extra env for hosts tagged with the tag name (kamal docs servers). Root env only.
  # Later tags on a host win.
  tags:
    monitoring:
      MYSQL_USER: monitoring
    replica:
      clear:
        MYSQL_USER: readonly
      secret:
        - READONLY_PASSWORD

# Notes
# - An empty clear value leaves the variable unset in the container.
# - \${VAR} in a clear value is expanded by the host's shell; $VAR is not.
# - Roles and accessories may have their own env (same format, without tags).
`;

export const REGISTRY_DOC = `# Registry
#
# Where images are pushed (from the build machine) and pulled (on the hosts).
registry:
  # Default: Docker Hub.
  server: registry.digitalocean.com

  # username and password: a literal string, or a one-element list naming a
  # secret in .kamal/secrets (recommended for the password).
  username: my-user
  password:
    - KAMAL_REGISTRY_PASSWORD

---
# A local registry: with server: localhost:<port> and no credentials, kamal runs
# a registry container on the build machine and forwards the port to each host
# over SSH while pulling.
registry:
  server: localhost:5555

# Accessories may have their own registry block with the same keys.
`;
