// Fault cgroupfs-driver: containerd's runc left on cgroupfs while kubeadm's kubelet uses systemd (bugs.md section 1).
import { containerdConfigFunctions } from "../containerd-config-shell.ts";
import type { FaultRenderer } from "./fault-renderer.ts";

/** SystemdCgroup = false in the runc options table, verified with config dump; containerd restarted. */
export const cgroupfsDriverFault: FaultRenderer<"cgroupfs-driver"> = () => ({
  description:
    "sets SystemdCgroup = false in containerd's runc options table while kubelet keeps cgroupDriver systemd: two cgroup managers, so on cgroup v2 pod sandboxes are killed and re-created (SandboxChanged) and control-plane pods restart",
  body: () => `${containerdConfigFunctions}
ensure_full_config
toml_set "$config" "$runc_table" SystemdCgroup false
expect_config "$runc_table" SystemdCgroup false
systemctl restart containerd`,
  uploads: [],
  artifacts: [],
  timeoutMs: 120_000,
});
