// The kubeadm reset step a provider that reuses machines (ssh hosts) runs before a Kubernetes scenario.
import type { MachinePlan, StepPlan } from "../plan/plan.ts";
import type { Scenario } from "../scenario/schema.ts";
import { joinCommandPath } from "./kubeadm-init.ts";
import { criSocketOf } from "./kubernetes-versions.ts";
import { scriptStep } from "./recipe-step.ts";
import { quote } from "./shell.ts";

/**
 * `kubeadm reset -f --cri-socket <socket>` on every node (the socket must be named when several runtimes are
 * present), then the CNI config, the kubeconfig and the old join command removed. Not part of `defaultRecipes`:
 * fresh VMs need no reset; the ssh provider inserts this step into the prepare-os phase.
 */
export function kubeadmResetStep(scenario: Scenario, machines: MachinePlan[]): StepPlan {
  const socket = criSocketOf(scenario);
  return scriptStep({
    recipe: "kubeadm-reset",
    name: "kubeadm-reset",
    phase: "prepare-os",
    description: `kubeadm reset -f --cri-socket ${socket}; remove /etc/cni/net.d, /root/.kube/config and ${joinCommandPath}`,
    nodes: machines,
    body: () => `if command -v kubeadm > /dev/null; then
  kubeadm reset -f --cri-socket ${quote(socket)}
else
  echo "harness: kubeadm is not installed: nothing to reset"
fi
rm -rf /etc/cni/net.d /root/.kube/config ${quote(joinCommandPath)}`,
    timeoutMs: 300_000,
  });
}
