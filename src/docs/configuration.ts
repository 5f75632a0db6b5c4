// `kamal docs` (no section): the root keys of config/deploy.yml. Our own text, YAML with comments.

export const CONFIGURATION_DOC = `# Configuration (config/deploy.yml)
#
# Kamal reads config/deploy.yml (or the file given with -c). With -d <destination>,
# config/deploy.<destination>.yml is read too and deep-merged over it.
# The file is rendered as ERB first (<%= ENV["X"] %>), then parsed as YAML 1.1.
# Unknown keys are errors; keys starting with x- are ignored (see: kamal docs anchors).
# More: kamal docs <section>, where section is one of servers, role, env, registry,
# builder, proxy, ssh, sshkit, accessory, boot, logging, output, alias, anchors.

# Required. Letters, digits, - and _. Prefix of every container name.
service: myapp

# The image repository (without tag). Required unless the registry is local
# (localhost:<port>), where it defaults to the service name.
image: my-user/myapp

# Hosts and roles. Required unless there are accessories. See: kamal docs servers
servers:
  - 192.168.0.1

# Registry to push to and pull from. See: kamal docs registry
registry:
  username: my-user
  password:
    - KAMAL_REGISTRY_PASSWORD

# Image build settings; arch is required. See: kamal docs builder
builder:
  arch: amd64

# Container environment. See: kamal docs env
env:
  clear:
    RAILS_ENV: production
  secret:
    - RAILS_MASTER_KEY

# Extra labels on every app container (service, role and destination are always set).
labels:
  team: backend

# Volumes for every app container, as docker --volume values.
volumes:
  - "/data/storage:/app/storage"

# Assets bridged between the old and new version during a deploy (path[:mount options]).
asset_path: /app/public/assets

# Local paths. Defaults: .kamal/hooks and .kamal/secrets.
hooks_path: .kamal/hooks
secrets_path: .kamal/secrets

# Hook output at default verbosity: quiet or verbose, or per hook name.
hooks_output: verbose

# Directory with 4xx.html / 5xx.html pages that kamal-proxy serves for the app.
error_pages_path: public

# Refuse to run without -d.
require_destination: false

# The role whose first host is the primary host (default web).
primary_role: web

# Allow roles without hosts (except the primary role).
allow_empty_roles: false

# Stopped containers kept per service for rollbacks (default 5, at least 1).
retain_containers: 5

# Refuse to run with an older kamal than this.
minimum_version: 2.0.0

# Seconds to wait before considering a container without proxy healthy (default 7).
readiness_delay: 7

# Seconds a new container may take to become healthy (default 30).
deploy_timeout: 30

# Seconds for in-flight requests to finish before the old container stops (default 30).
drain_timeout: 30

# docker stop timeout for app containers (default: drain_timeout for roles without proxy).
stop_timeout: 30

# Accepted for compatibility but not used: remote files always live under ~/.kamal.
run_directory: .kamal

# Other sections, each with its own docs:
ssh: {}          # kamal docs ssh
sshkit: {}       # kamal docs sshkit
proxy: {}        # kamal docs proxy
accessories: {}  # kamal docs accessory
boot: {}         # kamal docs boot
logging: {}      # kamal docs logging
output: {}       # kamal docs output
aliases: {}      # kamal docs alias
`;
