#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian 12 machine (as root): npm packages and Debian packages.
# Idempotent: does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x node_modules/.bin/bun ] || npm install --no-audit --no-fund

need=()
for pkg_bin in openssh-server:/usr/sbin/sshd git:/usr/bin/git docker.io:/usr/sbin/dockerd debootstrap:/usr/sbin/debootstrap \
               busybox-static:/bin/busybox docker-registry:/usr/bin/docker-registry iproute2:/usr/sbin/ip curl:/usr/bin/curl openssl:/usr/bin/openssl openssh-client:/usr/bin/ssh-keygen ruby:/usr/bin/ruby; do
  pkg=${pkg_bin%%:*}; bin=${pkg_bin#*:}
  [ -x "$bin" ] || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing packages: ${need[*]} (run as root or install them)" >&2; exit 1; fi
  echo "Installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
