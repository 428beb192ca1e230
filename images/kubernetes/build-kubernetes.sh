#!/usr/bin/env bash
# Builds Kubernetes from Debian's source tarball with a Go toolchain extracted from Debian's packages, on the host:
# kubeadm, kubelet, kubectl, kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy (static, stripped),
# the harness's crictl (images/kubernetes/crictl/main.go, built inside the tree against the vendored CRI client)
# and pause (gcc -static). No chroot and no mounts: the toolchain runs from the host with GOROOT pointing at it.
#
# Usage: build-kubernetes.sh SOURCE_TARBALL GOROOT OUT_DIR
# Environment (all required):
#   GOCACHE        Go's build cache (shared between builds; content-addressed)
#   CRICTL_SOURCE  the crictl main.go
#   GIT_VERSION GIT_COMMIT BUILD_DATE   version stamped into the binaries (hack/lib/version.sh's ldflags)
# Output in OUT_DIR/bin; progress lines on stderr: "[build-kubernetes HH:MM:SS] (n/9) name: ..."
set -euo pipefail

log() { printf '[build-kubernetes %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$#" -eq 3 ] || die "usage: $0 SOURCE_TARBALL GOROOT OUT_DIR"
TARBALL="$1"
GOROOT_DIR="$2"
OUT_DIR="$3"
: "${GOCACHE:?}" "${CRICTL_SOURCE:?}" "${GIT_VERSION:?}" "${GIT_COMMIT:?}" "${BUILD_DATE:?}"
[[ "$GIT_VERSION" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]] || die "GIT_VERSION must look like v1.20.2, got $GIT_VERSION"
GIT_MAJOR="${BASH_REMATCH[1]}"
GIT_MINOR="${BASH_REMATCH[2]}"
for tool in tar make gcc rsync; do command -v "$tool" >/dev/null || die "missing tool: $tool"; done
[ -x "$GOROOT_DIR/bin/go" ] || die "no go binary in $GOROOT_DIR/bin"

mkdir -p "$OUT_DIR/bin" "$GOCACHE"
WORK="$(mktemp -d "$OUT_DIR/.work.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
SRC="$WORK/src"
mkdir -p "$SRC"

export GOROOT="$GOROOT_DIR" PATH="$GOROOT_DIR/bin:$PATH" GOPATH="$WORK/gopath" GOCACHE
export GO111MODULE=on GOFLAGS=-mod=vendor CGO_ENABLED=0 GOPROXY=off GOTOOLCHAIN=local
log "toolchain: $(go version)"

started=$(date +%s)
log "(0/9) unpacking $(basename "$TARBALL")"
tar -xzf "$TARBALL" -C "$SRC" --strip-components=1
cd "$SRC"
[ -f vendor/modules.txt ] || die "the source tarball has no vendor/modules.txt"

# The tarball lacks the generated OpenAPI definitions kube-apiserver needs; upstream's make target creates them.
step_start=$(date +%s)
log "(0/9) generating pkg/generated/openapi (make gen_openapi)"
make gen_openapi >"$WORK/gen_openapi.log" 2>&1 || { tail -n 30 "$WORK/gen_openapi.log" >&2; die "make gen_openapi failed"; }
[ -s pkg/generated/openapi/zz_generated.openapi.go ] || die "make gen_openapi wrote no zz_generated.openapi.go"
log "(0/9) openapi generated in $(( $(date +%s) - step_start )) s"

mkdir -p cmd/harness-crictl
cp "$CRICTL_SOURCE" cmd/harness-crictl/main.go

ldflags="-s -w -buildid="
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$GIT_VERSION -X $pkg.gitCommit=$GIT_COMMIT -X $pkg.gitTreeState=clean"
  ldflags+=" -X $pkg.buildDate=$BUILD_DATE -X $pkg.gitMajor=$GIT_MAJOR -X $pkg.gitMinor=$GIT_MINOR"
done

targets=(kubectl:cmd/kubectl kubeadm:cmd/kubeadm kubelet:cmd/kubelet kube-proxy:cmd/kube-proxy
  kube-apiserver:cmd/kube-apiserver kube-scheduler:cmd/kube-scheduler
  kube-controller-manager:cmd/kube-controller-manager crictl:cmd/harness-crictl)
n=0
for target in "${targets[@]}"; do
  n=$((n + 1))
  name="${target%%:*}"
  pkg="./${target#*:}"
  step_start=$(date +%s)
  log "($n/9) $name: building $pkg"
  go build -trimpath -tags selinux,notest -ldflags "$ldflags" -o "$OUT_DIR/bin/$name" "$pkg" \
    >"$WORK/$name.log" 2>&1 || { tail -n 30 "$WORK/$name.log" >&2; die "go build $pkg failed"; }
  log "($n/9) $name: built in $(( $(date +%s) - step_start )) s, $(( $(stat -c %s "$OUT_DIR/bin/$name") / 1048576 )) MiB"
done

log "(9/9) pause: gcc -static build/pause/linux/pause.c"
gcc -Os -static -Wall -Werror -DVERSION=v3.2-harness -o "$OUT_DIR/bin/pause" build/pause/linux/pause.c
strip "$OUT_DIR/bin/pause"

"$OUT_DIR/bin/kubeadm" version -o short >"$WORK/kubeadm-version"
[ "$(cat "$WORK/kubeadm-version")" = "$GIT_VERSION" ] || die "kubeadm version reports $(cat "$WORK/kubeadm-version"), expected $GIT_VERSION"
log "done in $(( $(date +%s) - started )) s: kubeadm version $(cat "$WORK/kubeadm-version")"
