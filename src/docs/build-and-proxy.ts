// `kamal docs builder|proxy`. Our own text.

export const BUILDER_DOC = `# Builder
#
# How the image is built (docker buildx unless noted).
builder:
  # Required: amd64, arm64, or a list of both (--platform linux/<arch>,...).
  arch:
    - amd64
    - arm64

  # Build non-local arches on a remote Docker host; local: false builds everything there.
  remote: ssh://docker@docker-builder
  local: true

  # Build context. Unset: a clean git clone of HEAD (uncommitted changes ignored,
  # version = the commit). ".": the working tree (version gets _uncommitted_... when dirty).
  context: .

  # Dockerfile (default Dockerfile) and build target.
  dockerfile: Dockerfile.production
  target: production

  # --build-arg values (redacted in the output).
  args:
    NODE_VERSION: 22

  # Secret names from .kamal/secrets, available as RUN --mount=type=secret,id=NAME.
  secrets:
    - GITHUB_TOKEN

  # Forward SSH to the build (--ssh).
  ssh: default=$SSH_AUTH_SOCK

  # Build cache: type gha or registry (image defaults to <image>-build-cache).
  cache:
    type: registry
    image: my-user/myapp-cache
    options: mode=max

  # buildx driver: docker-container (default), docker (no multi-arch, no cache),
  # or "cloud <org>/<builder>" for Docker Build Cloud.
  driver: docker-container

  # Attestations: --provenance and --sbom.
  provenance: mode=max
  sbom: true

  # Cloud Native Buildpacks with pack instead of a Dockerfile (one arch only).
  pack:
    builder: heroku/builder:24
    buildpacks:
      - heroku/ruby
`;

export const PROXY_DOC = `# Proxy
#
# kamal-proxy routes traffic to the new container once it is healthy and drains
# the old one: zero-downtime deploys. Set at the root; roles may override keys.
proxy:
  # Host name(s) to route; without a host every request is routed to this app.
  # Use host (comma separated) or hosts (a list), not both.
  host: app.example.com
  # hosts:
  #   - app.example.com
  #   - www.example.com

  # Port the app listens on in the container (default 80).
  app_port: 3000

  # TLS with Let's Encrypt (needs host; single server per role), or your own
  # certificate and key, given as secret names.
  ssl: true
  # ssl:
  #   certificate_pem: CERTIFICATE_PEM
  #   private_key_pem: PRIVATE_KEY_PEM

  # Redirect HTTP to HTTPS when ssl is on (default true).
  ssl_redirect: true

  # Pass X-Forwarded-For / -Proto from the client (default: only without ssl).
  forward_headers: true

  # Seconds a request may take (default 30).
  response_timeout: 30

  # Route only these path prefixes; strip them before forwarding (default true).
  path_prefix: /api
  strip_path_prefix: true

  # Health check on the new container (defaults: /up, every 1s, 5s timeout).
  healthcheck:
    path: /up
    interval: 3
    timeout: 3

  # Request/response buffering (both on by default); sizes in bytes.
  buffering:
    requests: true
    responses: true
    memory: 2000000
    max_request_body: 40000000
    max_response_body: 0

  # Headers to log (defaults: Cache-Control, Last-Modified, User-Agent).
  logging:
    request_headers:
      - Cache-Control
      - X-Request-Start
    response_headers:
      - X-Request-ID

  # How the kamal-proxy container itself runs (shared by every app on a host;
  # all apps on a host must agree). Defaults shown.
  run:
    http_port: 80
    https_port: 443
    publish: true
    bind_ips:
      - 0.0.0.0
    log_max_size: 10m
    metrics_port: 9090
    debug: false
    repository: basecamp/kamal-proxy
    version: v0.9.2
    registry: ghcr.io
    options:
      memory: 512m
`;
