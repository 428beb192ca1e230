#!/usr/bin/env bash
# Installs what the harness needs on a Debian/Ubuntu host (run as root), then the npm dependencies.
# Idempotent: re-running it installs nothing new.
set -euo pipefail

packages=(
  qemu-system-x86 qemu-utils # the qemu provider
  debootstrap e2fsprogs busybox-static cpio zstd xz-utils jq # building Debian guest images
  genisoimage # cloud-init seeds of Ubuntu images (and their tests)
  make gcc libc6-dev rsync # building Kubernetes from Debian's source (make gen_openapi, pause with gcc -static)
  libseccomp-dev # exporting the large seccomp profile with libseccomp in its size test
  patch util-linux # runc builds from Debian's archive (reverse-applying a patch; unshare for the build root)
  openssh-client # the SSH transport
  gpgv gpg gpgconf gpg-agent debian-archive-keyring # verifying signed apt indexes for pinned packages
  shellcheck # linting rendered scripts in the tests
  iproute2 iputils-ping # network namespaces in the tests
  chromium # rendering timeline.html in the tests
  openssh-server openssh-sftp-server # a real sshd on 127.0.0.1 for the transport tests
  ruby # syntax-checking generated Vagrantfiles in the tests
  git # real repositories in the tests of the harness's own commit stamp
)

# --with-vagrant: also what the real vagrant-libvirt test needs (libvirtd runs inside a test network namespace).
if [[ ${1:-} == --with-vagrant ]]; then
  packages+=(vagrant vagrant-libvirt libvirt-daemon-system libvirt-daemon-driver-qemu dnsmasq-base)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-host: missing packages: ${missing[*]}" >&2
    echo "setup-host: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cd "$(dirname "$0")/.."
# `npm install` keeps to package-lock.json; `npm ci` refuses this lock file because it lists only the platform
# packages (rollup's, esbuild's) the registry we lock against serves.
npm install --no-audit --no-fund
