#!/usr/bin/env bash
# Pack a per-machine seed folder into the tar archive the initramfs reads.
#
# Usage: make-seed.sh SEED_DIR OUT.tar
# SEED_DIR may hold (all optional, see README.md "Seed format"):
#   hostname          one line
#   authorized_keys   installed as /root/.ssh/authorized_keys
#   network           KEY=VALUE lines (PRIV_ADDR, PRIV_MAC, PRIV_MTU, USER_MAC,
#                     USER_ADDR, USER_GW, DNS)
#   hosts             lines appended to the generated /etc/hosts
#   machine-id        32 hex digits (default: random per boot)
#   files/            tree copied over / (owner root, modes kept)
# Pass the result to QEMU as -fw_cfg name=opt/harness/seed,file=OUT.tar
# (or as a raw virtio disk plus the kernel argument harness.seed=/dev/vdX).
set -euo pipefail

[ "$#" -eq 2 ] || { echo "usage: $0 SEED_DIR OUT.tar" >&2; exit 2; }
SEED_DIR="$1"
OUT="$2"
[ -d "$SEED_DIR" ] || { echo "$0: $SEED_DIR is not a directory" >&2; exit 2; }

if [ -f "$SEED_DIR/network" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
            '' | '#'*) ;;
            USER_MAC=* | USER_ADDR=* | USER_GW=* | DNS=* | PRIV_ADDR=* | PRIV_MAC=* | PRIV_MTU=*) ;;
            *) echo "$0: unknown line in $SEED_DIR/network: $line" >&2; exit 2 ;;
        esac
    done <"$SEED_DIR/network"
fi
if [ -f "$SEED_DIR/hostname" ] && ! grep -qxE '[A-Za-z0-9]([A-Za-z0-9.-]{0,62})' "$SEED_DIR/hostname"; then
    echo "$0: $SEED_DIR/hostname must hold one valid host name" >&2
    exit 2
fi

tmp="$OUT.tmp.$$"
tar --create --file="$tmp" --directory="$SEED_DIR" --format=gnu \
    --owner=0 --group=0 --numeric-owner --sort=name --mtime=@0 .
mv "$tmp" "$OUT"
