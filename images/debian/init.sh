#!/bin/busybox sh
# shellcheck shell=sh
# /init of the tiny harness initramfs (busybox-static + a few modules).
# Loads the modules, mounts the root filesystem, applies the per-machine seed
# (QEMU fw_cfg "opt/harness/seed", a tar archive; see README.md), configures
# the NICs statically and switch_roots into systemd.
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

log() { echo "harness-initrd: $*" >/dev/kmsg 2>/dev/null || echo "harness-initrd: $*"; }
fail() {
    log "FATAL: $*"
    echo "harness-initrd: FATAL: $*" >/dev/console
    sleep 2
    echo o >/proc/sysrq-trigger
    poweroff -f
}

ROOT=/dev/vda
ROOTFLAGS=rw,noatime
SEED_DEV=
INIT=/sbin/init
read -r CMDLINE </proc/cmdline
# shellcheck disable=SC2086 # split the command line into words
for arg in $CMDLINE; do
    case "$arg" in
        root=*) ROOT="${arg#root=}" ;;
        rootflags=*) ROOTFLAGS="${arg#rootflags=}" ;;
        harness.seed=*) SEED_DEV="${arg#harness.seed=}" ;;
        init=*) INIT="${arg#init=}" ;;
    esac
done

while read -r m; do
    [ -n "$m" ] || continue
    insmod "/lib/modules/$m" 2>/dev/null || log "insmod $m failed"
done </lib/modules/load-order

i=0
while [ ! -b "$ROOT" ]; do
    i=$((i + 1))
    [ "$i" -gt 2000 ] && fail "root device $ROOT did not appear"
    usleep 5000
done
mount -t ext4 -o "$ROOTFLAGS" "$ROOT" /newroot || fail "cannot mount $ROOT"

# ------------------------------------------------------------------ the seed
mkdir -p /seed
FWCFG=/sys/firmware/qemu_fw_cfg/by_name/opt/harness/seed/raw
if [ -r "$FWCFG" ]; then
    tar -x -f "$FWCFG" -C /seed || fail "cannot unpack the fw_cfg seed"
    log "seed read from fw_cfg"
elif [ -n "$SEED_DEV" ]; then
    i=0
    while [ ! -b "$SEED_DEV" ] && [ "$i" -lt 400 ]; do i=$((i + 1)); usleep 5000; done
    tar -x -f "$SEED_DEV" -C /seed || fail "cannot unpack the seed from $SEED_DEV"
    log "seed read from $SEED_DEV"
else
    log "no seed"
fi

USER_MAC=52:54:00:12:34:56
USER_ADDR=10.0.2.15/24
USER_GW=10.0.2.2
DNS=10.0.2.3
PRIV_ADDR=
PRIV_MAC=
PRIV_MTU=
if [ -f /seed/network ]; then
    while IFS='=' read -r key value; do
        case "$key" in
            USER_MAC) USER_MAC="$value" ;;
            USER_ADDR) USER_ADDR="$value" ;;
            USER_GW) USER_GW="$value" ;;
            DNS) DNS="$value" ;;
            PRIV_ADDR) PRIV_ADDR="$value" ;;
            PRIV_MAC) PRIV_MAC="$value" ;;
            PRIV_MTU) PRIV_MTU="$value" ;;
            '' | '#'*) ;;
            *) log "unknown key in seed network: $key" ;;
        esac
    done </seed/network
fi

R=/newroot
HOSTNAME=debian-guest
if [ -s /seed/hostname ]; then
    read -r HOSTNAME </seed/hostname
fi
echo "$HOSTNAME" >"$R/etc/hostname"
hostname "$HOSTNAME"
{
    printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$HOSTNAME"
    [ -f /seed/hosts ] && cat /seed/hosts
} >"$R/etc/hosts"
if [ -f /seed/authorized_keys ]; then
    mkdir -p "$R/root/.ssh"
    chmod 0700 "$R/root/.ssh"
    cat /seed/authorized_keys >"$R/root/.ssh/authorized_keys"
    chmod 0600 "$R/root/.ssh/authorized_keys"
fi
if [ -s /seed/machine-id ]; then
    cat /seed/machine-id >"$R/etc/machine-id"
else
    tr -d '-' </proc/sys/kernel/random/uuid >"$R/etc/machine-id"
fi
echo "nameserver $DNS" >"$R/etc/resolv.conf"
if [ -d /seed/files ]; then
    cp -a /seed/files/. "$R/" || log "copying seed files failed"
fi

# ------------------------------------------------------------------ network
mac_of() { cat "/sys/class/net/$1/address" 2>/dev/null; }
USER_IF=
PRIV_IF=
for dev in /sys/class/net/*; do
    n="${dev##*/}"
    [ "$n" = lo ] && continue
    [ -e "$dev/device" ] || continue
    mac="$(mac_of "$n")"
    if [ "$mac" = "$USER_MAC" ] && [ -z "$USER_IF" ]; then USER_IF="$n"
    elif [ -n "$PRIV_MAC" ] && [ "$mac" = "$PRIV_MAC" ]; then PRIV_IF="$n"
    elif [ -z "$PRIV_MAC" ] && [ -z "$PRIV_IF" ]; then PRIV_IF="$n"
    fi
done
if [ -z "$USER_IF" ] && [ -n "$PRIV_IF" ] && [ -z "$PRIV_MAC" ]; then
    # No NIC with USER_MAC: take the first NIC as the user-mode one.
    USER_IF="$PRIV_IF"
    PRIV_IF=
fi
# Stable names: user-mode NIC eth0, private NIC eth1.
[ -n "$USER_IF" ] && ip link set "$USER_IF" name hu0 && USER_IF=hu0
[ -n "$PRIV_IF" ] && ip link set "$PRIV_IF" name hp0 && PRIV_IF=hp0
[ -n "$USER_IF" ] && ip link set hu0 name eth0 && USER_IF=eth0
[ -n "$PRIV_IF" ] && ip link set hp0 name eth1 && PRIV_IF=eth1

ip link set lo up
if [ -n "$USER_IF" ]; then
    ip addr add "$USER_ADDR" dev eth0
    ip link set eth0 up
    ip route add default via "$USER_GW" dev eth0
else
    log "no user-mode NIC found"
fi
if [ -n "$PRIV_IF" ] && [ -n "$PRIV_ADDR" ]; then
    # The multicast segment echoes our own frames back: no IPv6 DAD there.
    echo 0 >/proc/sys/net/ipv6/conf/eth1/accept_dad 2>/dev/null
    [ -n "$PRIV_MTU" ] && ip link set eth1 mtu "$PRIV_MTU"
    ip addr add "$PRIV_ADDR" dev eth1
    ip link set eth1 up
elif [ -n "$PRIV_ADDR" ]; then
    log "PRIV_ADDR given but no second NIC found"
fi
log "eth0=${USER_IF:+$USER_ADDR} eth1=${PRIV_IF:+$PRIV_ADDR} hostname=$HOSTNAME"

umount /proc /sys
mount --move /dev "$R/dev"
exec switch_root "$R" "$INIT"
