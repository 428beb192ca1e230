#!/usr/bin/env bash
# Build a fast-booting Debian guest image for the harness (QEMU microvm, TCG).
#
# Usage: build-image.sh OUT_DIR
# Environment:
#   SUITE           Debian suite (bookworm, trixie, sid). Default: trixie
#   MIRROR          Debian mirror. Default: http://deb.debian.org/debian
#   EXTRA_PACKAGES  space separated extra packages (may be empty)
#   ARCH            Debian architecture. Only amd64 is supported. Default: amd64
#   CACHE_DIR       where downloaded .debs are kept between builds.
#                   Default: /var/cache/harness-images/debs
#   FORCE           set to 1 to rebuild even if OUT_DIR holds an image with the
#                   same build key
#   SOURCE_DATE_EPOCH  timestamp used for the initramfs (default: fixed)
#   IMAGE_SIZE      size of the root filesystem (default 4G)
#   PAYLOAD_DIR     a folder copied over the tree before the filesystem is made (e.g. Kubernetes binaries and
#                   container image archives); PAYLOAD_KEY names its content in the build key
#
# Output in OUT_DIR: rootfs.qcow2 vmlinuz initrd.img host_keys/ manifest.json
# build-key. See README.md next to this script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUITE="${SUITE:-trixie}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
EXTRA_PACKAGES="${EXTRA_PACKAGES:-}"
ARCH="${ARCH:-amd64}"
CACHE_DIR="${CACHE_DIR:-/var/cache/harness-images/debs}"
FORCE="${FORCE:-0}"
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1700000000}"
IMAGE_SIZE="${IMAGE_SIZE:-4G}"
PAYLOAD_DIR="${PAYLOAD_DIR:-}"
PAYLOAD_KEY="${PAYLOAD_KEY:-}"

log() { printf '[build-image %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$#" -eq 1 ] || die "usage: $0 OUT_DIR"
OUT_DIR="$1"
[ "$ARCH" = amd64 ] || die "only ARCH=amd64 is supported (got $ARCH)"
[ "$(id -u)" -eq 0 ] || die "debootstrap needs root (or run inside a user namespace as uid 0)"
for tool in debootstrap mkfs.ext4 qemu-img cpio gzip xz ssh-keygen jq dpkg-query sha256sum; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
done

BASE_PACKAGES="systemd-sysv openssh-server apparmor runc iproute2 kmod ca-certificates busybox-static procps util-linux linux-image-amd64 iputils-ping dbus"
# shellcheck disable=SC2086 # word splitting of the package lists is intended
PACKAGES="$(printf '%s\n' $BASE_PACKAGES $EXTRA_PACKAGES | sort -u | paste -sd, -)"

# Modules the tiny initramfs loads (dependencies are added automatically).
INITRD_MODULES="virtio_mmio virtio_blk virtio_net ext4 crc32c_generic crc32c_intel qemu_fw_cfg"

mkdir -p "$OUT_DIR" "$CACHE_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"

# The build key covers everything that changes the output except the package
# versions on the mirror; a matching key means "reuse this image".
[ -z "$PAYLOAD_DIR" ] || [ -d "$PAYLOAD_DIR" ] || die "PAYLOAD_DIR $PAYLOAD_DIR is not a folder"
[ -z "$PAYLOAD_DIR" ] || [ -n "$PAYLOAD_KEY" ] || die "PAYLOAD_DIR needs PAYLOAD_KEY (what the payload holds)"
BUILD_KEY="$( { printf '%s\n' "$SUITE" "$MIRROR" "$ARCH" "$PACKAGES" "$IMAGE_SIZE" "$PAYLOAD_KEY"; cat "$0" "$SCRIPT_DIR/init.sh"; } | sha256sum | cut -d' ' -f1)"
if [ "$FORCE" != 1 ] && [ -f "$OUT_DIR/build-key" ] && [ "$(cat "$OUT_DIR/build-key")" = "$BUILD_KEY" ] \
    && [ -f "$OUT_DIR/rootfs.qcow2" ] && [ -f "$OUT_DIR/manifest.json" ]; then
    log "OUT_DIR already holds an image with build key $BUILD_KEY; set FORCE=1 to rebuild"
    exit 0
fi
rm -f "$OUT_DIR/build-key"

WORK="$(mktemp -d "$OUT_DIR/.work.XXXXXX")"
TREE="$WORK/tree"
cleanup() {
    # debootstrap may leave /proc etc. mounted inside the tree when it fails.
    local m
    for m in proc sys dev/pts dev; do
        if mountpoint -q "$TREE/$m" 2>/dev/null; then umount -l "$TREE/$m" || true; fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

START=$(date +%s)
log "debootstrap $SUITE ($ARCH) from $MIRROR, packages: $PACKAGES"
debootstrap --variant=minbase --arch="$ARCH" --include="$PACKAGES" \
    --cache-dir="$CACHE_DIR" "$SUITE" "$TREE" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 40 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
DEBOOTSTRAP_SECONDS=$(( $(date +%s) - START ))
log "debootstrap done in ${DEBOOTSTRAP_SECONDS}s"

KVER="$(find "$TREE/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
[ -n "$KVER" ] || die "no kernel found in the tree"
log "kernel $KVER"

# ---------------------------------------------------------------- guest config
log "configuring the guest tree"
printf 'debian-guest\n' >"$TREE/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian-guest\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$TREE/etc/hosts"
# The initramfs configures networking; nothing in the guest manages it.
rm -f "$TREE/etc/resolv.conf"
printf 'nameserver 10.0.2.3\n' >"$TREE/etc/resolv.conf"
# Root is mounted rw by the initramfs; no fsck, no remount, no dev-vda wait.
printf '# root is mounted by the initramfs (see images/debian/README.md)\n' >"$TREE/etc/fstab"
# A fresh machine-id is written by the initramfs at every boot.
: >"$TREE/etc/machine-id"
rm -f "$TREE/var/lib/dbus/machine-id"

mkdir -p "$TREE/etc/systemd/journald.conf.d" "$TREE/etc/systemd/system" \
    "$TREE/etc/systemd/system-generators" "$TREE/etc/ssh/sshd_config.d" "$TREE/root/.ssh"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=64M\nReadKMsg=yes\nForwardToConsole=no\n' \
    >"$TREE/etc/systemd/journald.conf.d/harness.conf"

# Units nobody needs in a throwaway test VM. Masking a unit that does not exist
# is harmless.
MASK_UNITS="apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer
e2scrub_all.timer e2scrub_reap.service man-db.timer logrotate.timer
getty@tty1.service serial-getty@ttyS0.service getty.target console-getty.service
systemd-pstore.service modprobe@drm.service modprobe@fuse.service modprobe@configfs.service
modprobe@efi_pstore.service modprobe@dm_mod.service modprobe@loop.service
sys-kernel-debug.mount sys-kernel-tracing.mount sys-fs-fuse-connections.mount
sys-kernel-config.mount proc-sys-fs-binfmt_misc.automount systemd-binfmt.service
systemd-firstboot.service systemd-hwdb-update.service systemd-fsck-root.service
systemd-remount-fs.service systemd-networkd-wait-online.service
systemd-timesyncd.service systemd-networkd.service systemd-networkd.socket
systemd-resolved.service ssh.socket sshd-keygen.service
systemd-tpm2-setup-early.service systemd-tpm2-setup.service systemd-pcrmachine.service
systemd-pcrphase.service systemd-pcrphase-sysinit.service systemd-pcrextend.socket
systemd-boot-random-seed.service systemd-confext.service systemd-sysext.service
systemd-battery-check.service systemd-bsod.service ldconfig.service"
for unit in $MASK_UNITS; do
    ln -sfn /dev/null "$TREE/etc/systemd/system/$unit"
done
# The ssh generator (sshd on vsock/AF_UNIX) only costs time here.
ln -sfn /dev/null "$TREE/etc/systemd/system-generators/systemd-ssh-generator"
# sshd is started as a plain service (the debian default), make sure it is on.
mkdir -p "$TREE/etc/systemd/system/multi-user.target.wants"
if [ -f "$TREE/lib/systemd/system/ssh.service" ] || [ -f "$TREE/usr/lib/systemd/system/ssh.service" ]; then
    unit_path=/lib/systemd/system/ssh.service
    [ -f "$TREE/usr/lib/systemd/system/ssh.service" ] && unit_path=/usr/lib/systemd/system/ssh.service
    ln -sfn "$unit_path" "$TREE/etc/systemd/system/multi-user.target.wants/ssh.service"
fi
ln -sfn /lib/systemd/system/multi-user.target "$TREE/etc/systemd/system/default.target"

# SSH host keys: generated once per build, pinned host-side via OUT_DIR/host_keys.
rm -rf "$OUT_DIR/host_keys"
mkdir -p "$OUT_DIR/host_keys"
rm -f "$TREE"/etc/ssh/ssh_host_*
for type in ed25519 ecdsa; do
    ssh-keygen -q -t "$type" -N '' -C "root@harness-guest" -f "$OUT_DIR/host_keys/ssh_host_${type}_key"
    install -m 0600 "$OUT_DIR/host_keys/ssh_host_${type}_key" "$TREE/etc/ssh/"
    install -m 0644 "$OUT_DIR/host_keys/ssh_host_${type}_key.pub" "$TREE/etc/ssh/"
done
cat >"$TREE/etc/ssh/sshd_config.d/harness.conf" <<'EOF'
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_ecdsa_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
EOF
# The config test before sshd starts costs ~1 s under TCG; the config is fixed.
mkdir -p "$TREE/etc/systemd/system/ssh.service.d"
printf '[Service]\nExecStartPre=\n' >"$TREE/etc/systemd/system/ssh.service.d/harness.conf"
printf 'LANG=C.UTF-8\n' >"$TREE/etc/default/locale"
chmod 0700 "$TREE/root/.ssh"
: >"$TREE/root/.ssh/authorized_keys"
chmod 0600 "$TREE/root/.ssh/authorized_keys"

# AppArmor 4.1 ships ~100 profiles, most for desktop programs that are not
# installed; loading them all costs ~7 s of boot under TCG. Disable (the
# standard /etc/apparmor.d/disable/ links) every profile whose attachment path
# matches no file in the tree. Profiles without an attachment or with an
# unusual one are kept. runc's profile is kept (it exists).
disabled_profiles=()
for prof in "$TREE"/etc/apparmor.d/*; do
    [ -f "$prof" ] || continue
    attach="$(awk '/^[[:space:]]*profile[[:space:]]/ { print $3; exit }' "$prof")"
    case "$attach" in /*) ;; *) continue ;; esac
    [[ "$attach" =~ ^[A-Za-z0-9_/.,{}@*+-]+$ ]] || continue
    pattern="$(sed -E 's/@\{[^}]*\}/*/g' <<<"$attach")"
    found=0
    candidates=()
    # Brace expansion of a pattern checked above to hold no quotes, spaces or $.
    eval "candidates=(\"\$TREE\"$pattern)"
    for cand in "${candidates[@]}"; do
        if compgen -G "$cand" >/dev/null; then found=1; break; fi
    done
    if [ "$found" = 0 ]; then
        ln -sfn "/etc/apparmor.d/$(basename "$prof")" "$TREE/etc/apparmor.d/disable/$(basename "$prof")"
        disabled_profiles+=("$(basename "$prof")")
    fi
done
log "disabled ${#disabled_profiles[@]} AppArmor profiles of programs that are not installed"

# Drivers of emulated devices nobody uses under microvm.
printf 'blacklist %s\n' pcspkr floppy parport_pc serio_raw i2c_piix4 intel_rapl_msr intel_rapl_common \
    >"$TREE/etc/modprobe.d/harness-blacklist.conf"

# Trim: big files that are useless inside the guest.
rm -f "$TREE"/boot/initrd.img-* "$TREE"/var/cache/apt/archives/*.deb "$TREE"/var/cache/apt/*.bin
rm -rf "$TREE"/var/lib/apt/lists/* "$TREE"/usr/share/doc/* "$TREE"/usr/share/man/* \
    "$TREE"/usr/share/locale/* "$TREE"/var/log/*.log "$TREE"/var/log/apt/*
# The guest would rebuild it at boot otherwise; the kernel's own is enough.
rm -f "$TREE/etc/ld.so.cache~"

# --------------------------------------------------------------- kernel, initrd
install -m 0644 "$TREE/boot/vmlinuz-$KVER" "$OUT_DIR/vmlinuz"

log "building the initramfs"
INITRD="$WORK/initrd"
MODDIR="$TREE/lib/modules/$KVER"
mkdir -p "$INITRD"/{bin,dev,proc,sys,tmp,newroot,lib/modules,etc}
install -m 0755 "$TREE/bin/busybox" "$INITRD/bin/busybox"
install -m 0755 "$SCRIPT_DIR/init.sh" "$INITRD/init"

# modules.dep lines look like "kernel/fs/ext4/ext4.ko.xz: kernel/lib/crc16.ko.xz ..."
declare -A SEEN=()
ORDERED=()
module_path() { # name -> path relative to MODDIR, or empty if built in / missing
    local name="$1" alt
    alt="${name//_/-}"
    awk -F: -v a="$name" -v b="$alt" '{ n=$1; sub(/.*\//, "", n); sub(/\.ko(\.(xz|zst|gz))?$/, "", n);
        if (n == a || n == b) { print $1; exit } }' "$MODDIR/modules.dep"
}
add_module_path() { # path relative to MODDIR, dependencies first
    local path="$1" dep deps
    [ -n "${SEEN[$path]:-}" ] && return 0
    SEEN[$path]=1
    read -ra deps <<<"$(awk -F: -v p="$path" '$1 == p { print $2; exit }' "$MODDIR/modules.dep")"
    for dep in "${deps[@]}"; do
        add_module_path "$dep"
    done
    ORDERED+=("$path")
}
for mod in $INITRD_MODULES; do
    path="$(module_path "$mod")"
    if [ -z "$path" ]; then
        if grep -qE "/${mod//_/[-_]}\.ko" "$MODDIR/modules.builtin"; then
            log "module $mod is built in"
        else
            log "module $mod not found (skipped)"
        fi
        continue
    fi
    add_module_path "$path"
done
: >"$INITRD/lib/modules/load-order"
for path in "${ORDERED[@]}"; do
    base="$(basename "$path")"
    plain="${base%.xz}"; plain="${plain%.zst}"; plain="${plain%.gz}"
    case "$base" in
        *.ko.xz) xz -dc "$MODDIR/$path" >"$INITRD/lib/modules/$plain" ;;
        *.ko.zst) zstd -qdc "$MODDIR/$path" >"$INITRD/lib/modules/$plain" ;;
        *.ko.gz) gzip -dc "$MODDIR/$path" >"$INITRD/lib/modules/$plain" ;;
        *) cp "$MODDIR/$path" "$INITRD/lib/modules/$plain" ;;
    esac
    printf '%s\n' "$plain" >>"$INITRD/lib/modules/load-order"
done
log "initramfs modules: $(paste -sd' ' "$INITRD/lib/modules/load-order")"
find "$INITRD" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$INITRD" && find . -mindepth 1 -print0 | LC_ALL=C sort -z \
    | cpio --null --create --format=newc --owner=0:0 --reproducible --quiet) \
    | gzip -n -6 >"$OUT_DIR/initrd.img"

# ------------------------------------------------------------------- manifest
log "writing manifest"
dpkg-query --admindir="$TREE/var/lib/dpkg" -W -f '${Package}\t${Version}\n' | LC_ALL=C sort >"$WORK/packages.tsv"

# --------------------------------------------------------------------- payload
if [ -n "$PAYLOAD_DIR" ]; then
    log "copying the payload $PAYLOAD_KEY ($(du -sh --apparent-size "$PAYLOAD_DIR" | cut -f1)) into the tree"
    cp -a --no-preserve=ownership "$PAYLOAD_DIR/." "$TREE/"
fi

# ---------------------------------------------------------------------- rootfs
log "making the ext4 root filesystem ($IMAGE_SIZE virtual)"
RAW="$WORK/rootfs.raw"
truncate -s "$IMAGE_SIZE" "$RAW"
mkfs.ext4 -q -F -L harness-root -m 0 -E "lazy_itable_init=0,lazy_journal_init=0" -d "$TREE" "$RAW"
qemu-img convert -f raw -O qcow2 -o cluster_size=65536 "$RAW" "$OUT_DIR/rootfs.qcow2.tmp"
mv "$OUT_DIR/rootfs.qcow2.tmp" "$OUT_DIR/rootfs.qcow2"
rm -f "$RAW"

TOTAL_SECONDS=$(( $(date +%s) - START ))
jq -n \
    --arg suite "$SUITE" --arg mirror "$MIRROR" --arg arch "$ARCH" --arg kernel "$KVER" \
    --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg extra "$EXTRA_PACKAGES" \
    --arg key "$BUILD_KEY" --arg payload "$PAYLOAD_KEY" \
    --argjson debootstrap_seconds "$DEBOOTSTRAP_SECONDS" --argjson build_seconds "$TOTAL_SECONDS" \
    --argjson rootfs_qcow2_bytes "$(stat -c %s "$OUT_DIR/rootfs.qcow2")" \
    --argjson rootfs_virtual_bytes "$(qemu-img info --output=json "$OUT_DIR/rootfs.qcow2" | jq '."virtual-size"')" \
    --argjson tree_bytes "$(du -sb "$TREE" | cut -f1)" \
    --argjson vmlinuz_bytes "$(stat -c %s "$OUT_DIR/vmlinuz")" \
    --argjson initrd_bytes "$(stat -c %s "$OUT_DIR/initrd.img")" \
    --rawfile pkgs "$WORK/packages.tsv" \
    --rawfile mods "$INITRD/lib/modules/load-order" \
    '{suite: $suite, mirror: $mirror, arch: $arch, kernel_version: $kernel, build_date: $date,
      build_key: $key, payload: $payload, extra_packages: ($extra | split(" ") | map(select(. != ""))),
      build_seconds: {debootstrap: $debootstrap_seconds, total: $build_seconds},
      sizes: {rootfs_qcow2: $rootfs_qcow2_bytes, rootfs_virtual: $rootfs_virtual_bytes,
              tree: $tree_bytes, vmlinuz: $vmlinuz_bytes, initrd: $initrd_bytes},
      initrd_modules: ($mods | split("\n") | map(select(. != ""))),
      host_key_fingerprints: [],
      packages: ($pkgs | split("\n") | map(select(. != "") | split("\t") | {name: .[0], version: .[1]}))}' \
    >"$WORK/manifest.json"
fps="$(for f in "$OUT_DIR"/host_keys/*.pub; do ssh-keygen -l -f "$f"; done | jq -R . | jq -s .)"
jq --argjson fps "$fps" '.host_key_fingerprints = $fps' "$WORK/manifest.json" >"$OUT_DIR/manifest.json"
printf '%s\n' "$BUILD_KEY" >"$OUT_DIR/build-key"
log "done in ${TOTAL_SECONDS}s: $OUT_DIR"
