// Fault dockershim-no-cni: the kubelet's built-in dockershim without a network plugin (bugs.md section 4, seed 001).
import { ExitCode, HarnessError } from "../../errors.ts";
import type { FaultRenderer } from "./fault-renderer.ts";

/** The kubelet's environment file; the kubeadm drop-in expands its KUBELET_EXTRA_ARGS last. */
const kubeletDefaults = "/etc/default/kubelet";

/** Appends an empty `--network-plugin=` to KUBELET_EXTRA_ARGS, which comes after kubeadm's `--network-plugin=cni`. */
export const dockershimNoCniFault: FaultRenderer<"dockershim-no-cni"> = (_fault, { scenario }) => {
  if (scenario.runtime.kind !== "docker")
    throw new HarnessError("FAULT_NEEDS_DOCKERSHIM", "fault dockershim-no-cni needs runtime.kind docker", {
      hint: "set runtime.kind to docker (Kubernetes 1.23 or older), or use cri-dockerd-no-cni with docker-cri-dockerd",
      exitCode: ExitCode.usage,
    });
  return {
    description: `appends --network-plugin= (empty) to KUBELET_EXTRA_ARGS in ${kubeletDefaults}: the kubeadm drop-in passes it after kubeadm's --network-plugin=cni, the last flag wins, and dockershim falls back to kubernetes.io/no-op, so Docker's own bridge (docker0, 172.17.0.0/16) addresses the pods instead of the podSubnet. cri-dockerd is this same dockershim code, cut out of the kubelet, and its --network-plugin= does the same`,
    body: () => `if ! grep -q '^KUBELET_EXTRA_ARGS=' ${kubeletDefaults}; then
  echo "harness: ${kubeletDefaults} has no KUBELET_EXTRA_ARGS line to extend" >&2
  exit 1
fi
sed -i 's/^KUBELET_EXTRA_ARGS=.*/& --network-plugin=/' ${kubeletDefaults}
grep '^KUBELET_EXTRA_ARGS=.* --network-plugin=$' ${kubeletDefaults}`,
    uploads: [],
    artifacts: [],
    timeoutMs: 60_000,
  };
};
