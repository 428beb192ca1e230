#!/usr/bin/env bash
# Prints a machine-readable fingerprint of the node it runs on: one `key=value` line per fact it could read.
# A fact that cannot be read (missing tool, file or permission) is left out, never guessed; the parser maps it to null.
set -euo pipefail
export LC_ALL=C

# emit KEY VALUE: one line, carriage returns and newlines removed; nothing when the value is empty.
emit() {
  local value="${2//$'\r'/}"
  value="${value%%$'\n'*}"
  [[ -n "$value" ]] && printf '%s=%s\n' "$1" "$value"
  return 0
}
# first_line CMD...: the first line a command prints on stdout or stderr, or nothing when it fails or is missing.
first_line() {
  command -v "$1" >/dev/null 2>&1 || return 0
  local out
  out="$(timeout 15 "$@" 2>&1)" || return 0
  printf '%s' "${out%%$'\n'*}"
}

# all_lines CMD...: what a command prints (stdout and stderr, at most 8 lines), tab-separated on one line.
all_lines() {
  command -v "$1" >/dev/null 2>&1 || return 0
  local out
  out="$(timeout 15 "$@" 2>&1)" || return 0
  printf '%s\n' "$out" | head -n 8 | paste -sd '\t' -
}

echo "harness-fingerprint 1"

if [[ -r /etc/os-release ]]; then
  while IFS='=' read -r key value; do
    case "$key" in
      ID | VERSION_ID | VERSION_CODENAME | PRETTY_NAME) emit "os.$key" "$value" ;;
    esac
  done </etc/os-release
fi
emit kernel.release "$(uname -r)"
emit kernel.arch "$(uname -m)"
emit cgroup.fs "$(stat -fc %T /sys/fs/cgroup 2>/dev/null || true)"

emit apparmor.enabled "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null || true)"
profiles=/sys/kernel/security/apparmor/profiles
if [[ -r $profiles ]] && list="$(cat "$profiles" 2>/dev/null)"; then
  emit apparmor.profiles "$(grep -c . <<<"$list" || true)"
  emit apparmor.runc "$(grep -q '^runc ' <<<"$list" && echo loaded || echo absent)"
  emit apparmor.cri-containerd "$(grep -q '^cri-containerd.apparmor.d ' <<<"$list" && echo loaded || echo absent)"
fi

emit containerd.version "$(first_line containerd --version)"
emit runc.version "$(first_line runc --version)"
emit runc.version-output "$(all_lines runc --version)"
if command -v runc >/dev/null 2>&1; then
  emit runc.path "$(command -v runc)"
  emit runc.commit "$(runc --version 2>/dev/null | sed -n 's/^commit: //p' || true)"
fi
emit docker.version "$(first_line docker --version)"
emit cri-dockerd.version "$(first_line cri-dockerd --version)"
emit kubelet.version "$(first_line kubelet --version)"
emit kubeadm.version "$(first_line kubeadm version -o short)"
emit kubectl.version "$(first_line kubectl version --client --short)"
emit crictl.version "$(first_line crictl --version)"
if [[ -r /etc/kubernetes/admin.conf ]] && command -v kubectl >/dev/null 2>&1; then
  emit apiserver.version "$(timeout 15 kubectl --kubeconfig /etc/kubernetes/admin.conf version --short 2>/dev/null | sed -n 's/^Server Version: //p' || true)"
fi
# The images the CRI sees, with their digests (what really ran, not what a tag suggests).
if command -v ctr >/dev/null 2>&1; then
  while read -r ref _ digest _; do
    case "$ref" in sha256:* | REF) continue ;; esac
    emit "image.$ref" "$digest"
  done < <(timeout 15 ctr -n k8s.io images ls 2>/dev/null || true)
fi

if command -v dpkg-query >/dev/null 2>&1; then
  for p in containerd containerd.io runc docker.io docker-ce cri-dockerd kubelet kubeadm kubectl apparmor; do
    status_version="$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' "$p" 2>/dev/null || true)"
    [[ $status_version == ii* ]] && emit "package.$p" "${status_version#*|}"
  done
fi

# systemd_cgroup_of: SystemdCgroup in the runc options table of a containerd config on stdin.
systemd_cgroup_of() {
  awk '
    /^[[:space:]]*\[/ { table = $0 }
    /^[[:space:]]*SystemdCgroup[[:space:]]*=/ && table ~ /runtimes\.("|'"'"')?runc("|'"'"')?\.options\]/ { print $3; exit }
  '
}
if command -v containerd >/dev/null 2>&1; then
  systemd_cgroup="$(timeout 15 containerd config dump 2>/dev/null | systemd_cgroup_of || true)"
  # containerd 1.4's config dump prints the runc options table empty: the file it loaded says what is set.
  if [[ -z $systemd_cgroup && -r /etc/containerd/config.toml ]]; then
    systemd_cgroup="$(systemd_cgroup_of </etc/containerd/config.toml || true)"
  fi
  emit containerd.systemdCgroup "$systemd_cgroup"
fi
if [[ -r /var/lib/kubelet/config.yaml ]]; then
  emit kubelet.cgroupDriver "$(sed -n 's/^cgroupDriver:[[:space:]]*//p' /var/lib/kubelet/config.yaml)"
fi

emit sysctl.fs.pipe-user-pages-soft "$(cat /proc/sys/fs/pipe-user-pages-soft 2>/dev/null || true)"
if [[ -r /proc/swaps ]]; then
  emit swap.devices "$(awk 'NR > 1' /proc/swaps | grep -c . || true)"
  emit swap.totalKiB "$(awk 'NR > 1 { sum += $3 } END { print sum + 0 }' /proc/swaps)"
fi
emit machine-id "$(cat /etc/machine-id 2>/dev/null || true)"
emit clock "$(date +%s.%N)"
