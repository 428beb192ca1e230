#!/usr/bin/env bash
# Builds a static runc from the Go source tree a Debian golang-github-opencontainers-runc-dev package ships (with
# Debian's patches applied), inside a minimal Debian root of the package's own suite, so that its Go toolchain and
# Go dependencies are that suite's (apt resolves them from the signed archive). Optionally reverse-applies one patch
# of the source package's debian.tar.xz first. The root is made once (debootstrap + apt) and reused.
#
# Usage: build-runc.sh ROOT SUITE MIRROR KEYRING SOURCE_DEB OUT_DIR [DEBIAN_TARBALL PATCH]
#   ROOT            the build root (made when ROOT/.harness-root-complete is missing)
#   SUITE MIRROR    the Debian suite and mirror the root and its packages come from
#   KEYRING         the keyring debootstrap checks the suite's Release file with
#   SOURCE_DEB      golang-github-opencontainers-runc-dev .deb (already checked on the host)
#   OUT_DIR         receives bin/runc, root-packages.txt (the root's dpkg-query -W) and version.txt
#   DEBIAN_TARBALL PATCH   the source package's debian.tar.xz and a patch path inside it to reverse-apply
# Environment (required): RUNC_VERSION, RUNC_COMMIT (stamped into `runc --version`).
# Needs root (debootstrap, chroot); every mount is made in a private mount namespace and ends with it.
# Progress lines on stderr: "[build-runc HH:MM:SS] ...".
set -euo pipefail

log() { printf '[build-runc %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$#" -eq 6 ] || [ "$#" -eq 8 ] || die "usage: $0 ROOT SUITE MIRROR KEYRING SOURCE_DEB OUT_DIR [DEBIAN_TARBALL PATCH]"
ROOT="$1"
SUITE="$2"
MIRROR="$3"
KEYRING="$4"
SOURCE_DEB="$5"
OUT_DIR="$6"
DEBIAN_TARBALL="${7:-}"
PATCH="${8:-}"
: "${RUNC_VERSION:?}" "${RUNC_COMMIT:?}"
[ "$(id -u)" = 0 ] || die "needs root (debootstrap and chroot)"
for tool in debootstrap unshare chroot tar xz patch; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
[ -f "$SOURCE_DEB" ] || die "no source package at $SOURCE_DEB"

# Runs a command in the root with /proc mounted in a private mount and PID namespace.
in_root() { unshare --mount --pid --fork --mount-proc="$ROOT/proc" chroot "$ROOT" "$@"; }

started=$(date +%s)
if [ ! -e "$ROOT/.harness-root-complete" ]; then
  log "making the $SUITE build root $ROOT (debootstrap --variant=minbase from $MIRROR)"
  rm -rf "$ROOT"
  debootstrap --variant=minbase --keyring="$KEYRING" "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 ||
    die "debootstrap $SUITE failed: $(tail -n 5 "$ROOT.debootstrap.log")"
  log "debootstrap done in $(($(date +%s) - started)) s"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  install -m 0644 "$SOURCE_DEB" "$ROOT/tmp/runc-source.deb"
  log "installing the source package, its Go dependencies and the toolchain from $SUITE"
  in_root /bin/sh -c 'apt-get update -q >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      /tmp/runc-source.deb golang-go gcc libc6-dev libseccomp-dev pkg-config golang-github-cpuguy83-go-md2man-v2-dev &&
    apt-get clean' >"$ROOT.apt.log" 2>&1 || die "apt-get install in the root failed: $(tail -n 5 "$ROOT.apt.log")"
  touch "$ROOT/.harness-root-complete"
  log "build root ready in $(($(date +%s) - started)) s"
fi

rm -rf "$ROOT/build" "$ROOT/tmp/debian"
mkdir -p "$ROOT/build/src/github.com/opencontainers" "$ROOT/tmp/debian"
cp -a "$ROOT/usr/share/gocode/src/github.com/opencontainers/runc" "$ROOT/build/src/github.com/opencontainers/runc"
if [ -n "$PATCH" ]; then
  tar -xJf "$DEBIAN_TARBALL" -C "$ROOT/tmp/debian"
  [ -f "$ROOT/tmp/debian/$PATCH" ] || die "$PATCH is not in $(basename "$DEBIAN_TARBALL")"
  log "reverse-applying $PATCH"
  (cd "$ROOT/build/src/github.com/opencontainers/runc" && patch -R -p1 -f --no-backup-if-mismatch <"$ROOT/tmp/debian/$PATCH") >&2 ||
    die "$PATCH does not reverse-apply to the source tree"
fi
cat >"$ROOT/tmp/build-runc-inside.sh" <<'INSIDE'
set -eu
cd /build/src/github.com/opencontainers/runc
export GOPATH=/build:/usr/share/gocode GO111MODULE=off GOCACHE=/build/gocache GOFLAGS= GOPROXY=off CGO_ENABLED=1
go version
# As upstream's `make static`: seccomp via libseccomp, linked statically with netgo and osusergo.
go build -trimpath -tags "seccomp netgo osusergo" -installsuffix netgo \
  -ldflags "-w -extldflags -static -X main.version=$1 -X main.gitCommit=$2" -o /build/runc .
INSIDE
log "go build (static, tags seccomp netgo osusergo)"
in_root /bin/sh /tmp/build-runc-inside.sh "$RUNC_VERSION" "$RUNC_COMMIT" >"$OUT_DIR/go-build.log" 2>&1 ||
  die "go build failed: $(tail -n 8 "$OUT_DIR/go-build.log")"
mkdir -p "$OUT_DIR/bin"
install -m 0755 "$ROOT/build/runc" "$OUT_DIR/bin/runc"
"$OUT_DIR/bin/runc" --version >"$OUT_DIR/version.txt"
in_root dpkg-query -W -f '${Package}=${Version}\n' >"$OUT_DIR/root-packages.txt"
rm -rf "$ROOT/build" "$ROOT/tmp/debian"
log "built $(head -n 1 "$OUT_DIR/version.txt") in $(($(date +%s) - started)) s"
