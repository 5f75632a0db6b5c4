// `config/deploy.yml` written by `kamal init`: the same keys and layout as Kamal's template, our own words.
// Kept as a string constant so it is part of the compiled binary.

export const DEPLOY_YML_TEMPLATE = `# The service name: containers, labels and proxy routes are named after it.
service: my-app

# The image to build and run (repository on your registry, without a tag).
image: my-user/my-app

# The hosts to deploy to, grouped by role. "web" gets traffic through kamal-proxy.
servers:
  web:
    - 192.168.0.1
  # job:
  #   hosts:
  #     - 192.168.0.1
  #   cmd: bin/jobs

# kamal-proxy in front of the web role: zero-downtime switches, and TLS certificates
# from Let's Encrypt when ssl is true. With several web hosts behind a load balancer,
# drop this section and terminate TLS at the load balancer instead.
#
# Behind Cloudflare, use the "Full" TLS mode so Cloudflare talks TLS to the proxy.
proxy:
  ssl: true
  host: app.example.com
  # The port your app listens on inside the container (80 unless set).
  # app_port: 3000

# Where images are pushed to and pulled from.
registry:
  server: localhost:5555
  # Another registry instead of the local one:
  # server: ghcr.io
  # username: my-user

  # Use an access token, never your account password. The value comes from .kamal/secrets.
  # password:
  #   - KAMAL_REGISTRY_PASSWORD

# How the image is built.
builder:
  arch: amd64
  # Build arguments for your Dockerfile:
  # args:
  #   NODE_VERSION: 22

# Environment variables for the app containers. Secret values are read from .kamal/secrets.
#
# env:
#   clear:
#     DB_HOST: 192.168.0.2
#   secret:
#     - RAILS_MASTER_KEY

# Shortcuts: "kamal shell" runs the command below. Extra arguments are appended,
# e.g. "kamal logs -r job" if logs is defined as "app logs".
#
# aliases:
#   shell: app exec --interactive --reuse "bash"

# Connect over SSH as another user than root.
#
# ssh:
#   user: app

# Volumes mounted into the app containers.
#
# volumes:
#   - "app_storage:/app/storage"

# Keep fingerprinted assets (JS, CSS) of the previous version available while a new
# version takes over, so in-flight requests do not get 404s. The directory holds the
# union of old and new assets.
#
# asset_path: /app/public/assets

# Rolling restarts: boot this many hosts at a time (or a percentage such as "25%"),
# waiting a few seconds between groups.
#
# boot:
#   limit: 10
#   wait: 2

# Other services your app needs, run next to it (secrets come from .kamal/secrets).
#
# accessories:
#   db:
#     image: mysql:8.0
#     host: 192.168.0.2
#     port: 3306
#     env:
#       clear:
#         MYSQL_ROOT_HOST: '%'
#       secret:
#         - MYSQL_ROOT_PASSWORD
#     files:
#       - config/mysql/production.cnf:/etc/mysql/my.cnf
#       - db/production.sql:/docker-entrypoint-initdb.d/setup.sql
#     directories:
#       - data:/var/lib/mysql
#   redis:
#     image: valkey/valkey:8
#     host: 192.168.0.2
#     port: 6379
#     directories:
#       - data:/data
`;
