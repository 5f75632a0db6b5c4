#!/bin/sh
# Installs the single `kamal` executable (which is also `kamal-proxy`):
#   curl -fsSL https://github.com/kamal-ts/kamal/releases/latest/download/install.sh | sh
# Environment:
#   KAMAL_INSTALL_BASE_URL  where kamal-<os>-<arch>[-musl] (and optional .sha256) live
#                           (default https://github.com/$KAMAL_INSTALL_REPO/releases/latest/download;
#                            http(s):// or file:// URLs)
#   KAMAL_INSTALL_REPO      GitHub owner/name for the default URL (default kamal-ts/kamal)
#   KAMAL_INSTALL_DIR       where to install (default /usr/local/bin as root, else ~/.local/bin)
#   KAMAL_INSTALL_TARGET    skip detection, e.g. linux-x64-musl
set -eu

say() { printf '%s\n' "$*" >&2; }
fail() { say "kamal install: $*"; exit 1; }

detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) fail "unsupported operating system: $os (builds exist for Linux and macOS)" ;;
  esac
  case "$arch" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "unsupported architecture: $arch (builds exist for x86_64 and arm64)" ;;
  esac
  libc=""
  if [ "$os" = linux ]; then
    if ls /lib/ld-musl-* >/dev/null 2>&1 || (ldd --version 2>&1 | grep -qi musl); then libc="-musl"; fi
    if [ -n "$libc" ] && [ "$arch" = arm64 ]; then fail "no musl build for arm64 yet"; fi
  fi
  printf '%s-%s%s\n' "$os" "$arch" "$libc"
}

# download URL FILE -> 0 on success
download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    case "$1" in file://*) cp "${1#file://}" "$2" ;; *) wget -q -O "$2" "$1" ;; esac
  else
    fail "need curl or wget to download"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else fail "need sha256sum or shasum to verify the download"
  fi
}

target=${KAMAL_INSTALL_TARGET:-$(detect_target)}
base=${KAMAL_INSTALL_BASE_URL:-https://github.com/${KAMAL_INSTALL_REPO:-kamal-ts/kamal}/releases/latest/download}
base=${base%/}
if [ -n "${KAMAL_INSTALL_DIR:-}" ]; then dir=$KAMAL_INSTALL_DIR
elif [ "$(id -u)" = 0 ]; then dir=/usr/local/bin
else dir="$HOME/.local/bin"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
asset="kamal-$target"
say "Downloading $base/$asset"
download "$base/$asset" "$tmp/kamal" || fail "could not download $base/$asset"

if download "$base/$asset.sha256" "$tmp/kamal.sha256" 2>/dev/null; then
  expected=$(cut -d' ' -f1 <"$tmp/kamal.sha256")
  actual=$(sha256_of "$tmp/kamal")
  [ "$expected" = "$actual" ] || fail "checksum mismatch for $asset: expected $expected, got $actual"
  say "Checksum verified ($actual)"
else
  say "No $asset.sha256 published; checksum not verified"
fi

mkdir -p "$dir" || fail "cannot create $dir"
chmod 755 "$tmp/kamal"
mv -f "$tmp/kamal" "$dir/kamal" || fail "cannot write $dir/kamal (set KAMAL_INSTALL_DIR or run as root)"
ln -sf kamal "$dir/kamal-proxy"
version=$("$dir/kamal" version 2>/dev/null) || fail "installed $dir/kamal does not run on this machine"
say "Installed kamal $version to $dir/kamal (and $dir/kamal-proxy)"
case ":$PATH:" in
  *":$dir:"*) ;;
  *) say "Note: $dir is not in your PATH; add it, e.g. export PATH=\"$dir:\$PATH\"" ;;
esac
