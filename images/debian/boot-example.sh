#!/usr/bin/env bash
# Boot a built image under QEMU (microvm, TCG), wait for SSH, run a command,
# shut the guest down.
#
# Usage: boot-example.sh [COMMAND...]
# Environment:
#   IMAGE_DIR   output of build-image.sh (default /var/cache/harness-images/trixie)
#   PORT        host port forwarded to the guest's sshd (default 2222)
#   NAME        guest host name (default guest-$PORT)
#   PRIV_ADDR   address/prefix on the private segment (default 172.31.0.10/24)
#   PRIV_MAC    MAC of the private NIC (default derived from PRIV_ADDR)
#   SEGMENT     multicast group:port of the private segment on 127.0.0.1
#               (default 239.255.77.1:42424)
#   EXTRA_HOSTS lines for /etc/hosts (optional)
#   SMP, MEM    guest CPUs / MiB (default 2 / 2048)
#   WORK_DIR    where overlay, seed, key, logs go (default: a new temp dir,
#               removed at exit unless KEEP_RUNNING=1)
#   KEEP_RUNNING=1  leave the guest running and print how to reach it
#   BOOT_TIMEOUT    seconds to wait for SSH (default 180)
#   KERNEL_ARGS     replaces the kernel command line (e.g. without "quiet")
#   TSC_KHZ         host TSC frequency in kHz (default: from /proc/cpuinfo;
#                   0 = do not pass tsc_early_khz/tsc=reliable/lpj)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGE_DIR="${IMAGE_DIR:-/var/cache/harness-images/trixie}"
PORT="${PORT:-2222}"
NAME="${NAME:-guest-$PORT}"
PRIV_ADDR="${PRIV_ADDR:-172.31.0.10/24}"
SEGMENT="${SEGMENT:-239.255.77.1:42424}"
EXTRA_HOSTS="${EXTRA_HOSTS:-}"
SMP="${SMP:-2}"
MEM="${MEM:-2048}"
KEEP_RUNNING="${KEEP_RUNNING:-0}"
BOOT_TIMEOUT="${BOOT_TIMEOUT:-180}"
if [ -z "${PRIV_MAC:-}" ]; then
    ip="${PRIV_ADDR%/*}"
    IFS=. read -r _ _ o3 o4 <<<"$ip"
    PRIV_MAC="$(printf '52:54:00:aa:%02x:%02x' "$o3" "$o4")"
fi
if [ "$#" -gt 0 ]; then
    CMD="$*"
else
    CMD='uname -r; hostname; cat /sys/module/apparmor/parameters/enabled; ip -br addr; systemd-analyze 2>/dev/null | head -n 1'
fi

for f in rootfs.qcow2 vmlinuz initrd.img host_keys/ssh_host_ed25519_key.pub; do
    [ -e "$IMAGE_DIR/$f" ] || { echo "missing $IMAGE_DIR/$f (run build-image.sh)" >&2; exit 1; }
done

OWN_WORK=0
if [ -z "${WORK_DIR:-}" ]; then
    WORK_DIR="$(mktemp -d /tmp/harness-boot.XXXXXX)"
    OWN_WORK=1
fi
mkdir -p "$WORK_DIR"
PIDFILE="$WORK_DIR/qemu.pid"

cleanup() {
    local rc=$?
    if [ "$KEEP_RUNNING" != 1 ] || [ "$rc" -ne 0 ]; then
        if [ -s "$PIDFILE" ]; then
            local pid
            pid="$(cat "$PIDFILE")"
            if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
        fi
        if [ "$OWN_WORK" = 1 ]; then rm -rf "$WORK_DIR"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT

# Throwaway client key and the pinned host key.
[ -f "$WORK_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C harness -f "$WORK_DIR/id_ed25519"
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$IMAGE_DIR/host_keys/ssh_host_ed25519_key.pub")" \
    >"$WORK_DIR/known_hosts"

# Per-machine seed.
rm -rf "$WORK_DIR/seed"
mkdir -p "$WORK_DIR/seed"
printf '%s\n' "$NAME" >"$WORK_DIR/seed/hostname"
cp "$WORK_DIR/id_ed25519.pub" "$WORK_DIR/seed/authorized_keys"
printf 'PRIV_ADDR=%s\nPRIV_MAC=%s\n' "$PRIV_ADDR" "$PRIV_MAC" >"$WORK_DIR/seed/network"
if [ -n "$EXTRA_HOSTS" ]; then printf '%s\n' "$EXTRA_HOSTS" >"$WORK_DIR/seed/hosts"; fi
"$SCRIPT_DIR/make-seed.sh" "$WORK_DIR/seed" "$WORK_DIR/seed.tar"

# Throwaway overlay: the base image is never written.
rm -f "$WORK_DIR/overlay.qcow2"
qemu-img create -q -f qcow2 -F qcow2 -b "$IMAGE_DIR/rootfs.qcow2" "$WORK_DIR/overlay.qcow2"

MCAST_HOST="${SEGMENT%:*}"
MCAST_PORT="${SEGMENT##*:}"
# TCG guests on microvm have no HPET/ACPI PM timer, so the kernel calibrates the
# TSC against the PIT; on a busy host that fails, the TSC is marked unstable and
# the boot can hang in the delay-loop calibration or fall back to jiffies time.
# Under TCG the guest TSC runs at the host TSC rate: tell the kernel that rate.
if [ -z "${TSC_KHZ:-}" ]; then
    TSC_KHZ=0
    if grep -qw constant_tsc /proc/cpuinfo && grep -qw nonstop_tsc /proc/cpuinfo; then
        TSC_KHZ="$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)"
    fi
fi
TSC_ARGS=""
if [ "$TSC_KHZ" -gt 0 ]; then
    # lpj = loops per jiffy = tsc_khz * 1000 / HZ (HZ=250 in Debian kernels)
    TSC_ARGS=" tsc_early_khz=$TSC_KHZ tsc=reliable lpj=$((TSC_KHZ * 4))"
fi
APPEND="${KERNEL_ARGS:-root=/dev/vda rw console=ttyS0 net.ifnames=0 quiet loglevel=3 systemd.show_status=0 apparmor=1 security=apparmor$TSC_ARGS}"
QEMU=(
    qemu-system-x86_64
    -M microvm -accel "tcg,thread=multi" -cpu max -smp "$SMP" -m "$MEM"
    -nodefaults -no-user-config -no-reboot
    -kernel "$IMAGE_DIR/vmlinuz" -initrd "$IMAGE_DIR/initrd.img" -append "$APPEND"
    -drive "id=d0,file=$WORK_DIR/overlay.qcow2,format=qcow2,if=none,cache=unsafe"
    -device "virtio-blk-device,drive=d0"
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$PORT-:22"
    -device "virtio-net-device,netdev=n0,mac=52:54:00:12:34:56"
    -netdev "dgram,id=n1,remote.type=inet,remote.host=$MCAST_HOST,remote.port=$MCAST_PORT,local.type=inet,local.host=127.0.0.1,local.port=0"
    -device "virtio-net-device,netdev=n1,mac=$PRIV_MAC"
    -fw_cfg "name=opt/harness/seed,file=$WORK_DIR/seed.tar"
    -display none -serial "file:$WORK_DIR/serial.log"
    -daemonize -pidfile "$PIDFILE"
)
printf '%q ' "${QEMU[@]}" >"$WORK_DIR/qemu.cmdline"
echo >>"$WORK_DIR/qemu.cmdline"

SSH=(ssh -p "$PORT" -i "$WORK_DIR/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes
    -o UserKnownHostsFile="$WORK_DIR/known_hosts" -o StrictHostKeyChecking=yes
    -o ConnectTimeout=5 -o LogLevel=ERROR root@127.0.0.1)

start=$(date +%s.%N)
"${QEMU[@]}"
deadline=$(( $(date +%s) + BOOT_TIMEOUT ))
until "${SSH[@]}" true 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "no SSH after ${BOOT_TIMEOUT}s; serial log tail:" >&2
        tail -n 30 "$WORK_DIR/serial.log" >&2 || true
        exit 1
    fi
    sleep 0.5
done
end=$(date +%s.%N)
printf 'boot-to-ssh %s %.1f\n' "$NAME" "$(echo "$end - $start" | bc -l)"

"${SSH[@]}" "$CMD"

if [ "$KEEP_RUNNING" = 1 ]; then
    printf 'guest %s running (pid %s); ssh: %s\n' "$NAME" "$(cat "$PIDFILE")" "$(printf '%q ' "${SSH[@]}")"
    exit 0
fi

"${SSH[@]}" 'systemctl poweroff --no-block' || true
pid="$(cat "$PIDFILE")"
for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
done
if kill -0 "$pid" 2>/dev/null; then
    echo "guest did not power off in 30 s; killing QEMU" >&2
    kill "$pid"
fi
