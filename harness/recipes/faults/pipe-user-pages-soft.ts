// Fault pipe-user-pages-soft: shrinks unprivileged pipes so runc rc93's init blocks writing its seccomp filter (bugs.md section 3).
import {
  largeSeccompArchitectures,
  largeSeccompProfile,
  largeSeccompSyscallCount,
} from "../data/large-seccomp-profile.ts";
import type { FaultRenderer } from "./fault-renderer.ts";
import { heredoc } from "../shell.ts";

/** Where the fault writes the large seccomp profile: kubelet's Localhost profile root (`profiles/harness-large.json`). */
export const kubeletSeccompProfile = "/var/lib/kubelet/seccomp/profiles/harness-large.json";

/** The same profile for runtime-only scenarios (`ctr run --seccomp --seccomp-profile`). */
export const harnessSeccompProfile = "/var/lib/harness/seccomp/harness-large.json";

/** Installs the large seccomp profile the hang needs (in configure, so a workload can use it), then sets fs.pipe-user-pages-soft now and at boot. */
export const pipeUserPagesSoftFault: FaultRenderer<"pipe-user-pages-soft"> = (fault) => ({
  description: `sets fs.pipe-user-pages-soft = ${fault.value} (default 16384): once root's pipe pages exceed it, a container's new pipes shrink to 2 pages (1 before Linux 5.14) and runc v1.0.0-rc93's init blocks writing a seccomp filter larger than that (exec and new containers hang, runc init lingers, PLEG goes unhealthy)`,
  prepare: {
    description: `installs a Docker-like seccomp profile (${largeSeccompSyscallCount} syscalls, ${largeSeccompArchitectures.length} architectures: at least 10 KiB of BPF) at ${kubeletSeccompProfile} and ${harnessSeccompProfile} for workloads to use`,
    body: () => `mkdir -p "$(dirname ${kubeletSeccompProfile})" "$(dirname ${harnessSeccompProfile})"
cat > ${harnessSeccompProfile} ${heredoc(largeSeccompProfile(), "JSON")}
cp ${harnessSeccompProfile} ${kubeletSeccompProfile}`,
  },
  body: () => `printf 'fs.pipe-user-pages-soft = %s\\n' ${fault.value} > /etc/sysctl.d/90-harness-fault-pipe-user-pages-soft.conf
sysctl -w fs.pipe-user-pages-soft=${fault.value}
if [ "$(sysctl -n fs.pipe-user-pages-soft)" != ${fault.value} ]; then
  echo "harness: fs.pipe-user-pages-soft is $(sysctl -n fs.pipe-user-pages-soft), expected ${fault.value}" >&2
  exit 1
fi`,
  uploads: [],
  artifacts: [],
  timeoutMs: 60_000,
});
