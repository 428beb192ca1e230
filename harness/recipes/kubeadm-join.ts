// Recipe: `kubeadm join` on each worker, reading the join command the runner copied from the control plane.
import { kubeadmOutputLog } from "../probes/preflight-probe.ts";
import type { MachinePlan } from "../plan/plan.ts";
import { faultsBreak } from "./bootstrap-failures.ts";
import { joinCommandPath } from "./kubeadm-init.ts";
import { ignoredPreflightChecks, ignorePreflightFlag } from "./kubeadm-preflight.ts";
import { criSocketOf } from "./kubernetes-versions.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";
import { quote } from "./shell.ts";

function joinScript(node: MachinePlan, criSocket: string, flags: string): string {
  return `join_file=${quote(joinCommandPath)}
if [ -f /etc/kubernetes/kubelet.conf ]; then
  echo "harness: /etc/kubernetes/kubelet.conf exists: this node has already joined"
  exit 0
fi
if [ ! -s "$join_file" ]; then
  echo "harness: $join_file is missing or empty: the runner copies it from the control plane after bootstrap/kubeadm-init" >&2
  exit 1
fi
# The file holds \`kubeadm join <endpoint> --token <t> --discovery-token-ca-cert-hash <h>\`, maybe split with backslashes (octal 134, removed).
read -r -a words < <(tr -d '\\134' < "$join_file" | tr '\\n\\t' '  '; echo)
endpoint=""
token=""
hashes=()
# Skip anything before the words \`kubeadm join\` (a klog line, init's prose).
i=0
while [ "$i" -lt "\${#words[@]}" ] && ! { [ "\${words[$i]}" = kubeadm ] && [ "\${words[$((i + 1))]:-}" = join ]; }; do
  i=$((i + 1))
done
i=$((i + 2))
while [ "$i" -lt "\${#words[@]}" ]; do
  word=\${words[$i]}
  case "$word" in
    --token) i=$((i + 1)); token=\${words[$i]:-} ;;
    --token=*) token=\${word#--token=} ;;
    --discovery-token-ca-cert-hash) i=$((i + 1)); hashes+=(--discovery-token-ca-cert-hash "\${words[$i]:-}") ;;
    --discovery-token-ca-cert-hash=*) hashes+=(--discovery-token-ca-cert-hash "\${word#*=}") ;;
    --*) ;;
    *) if [ -z "$endpoint" ]; then endpoint=$word; fi ;;
  esac
  i=$((i + 1))
done
if [ -z "$endpoint" ] || [ -z "$token" ] || [ "\${#hashes[@]}" -eq 0 ]; then
  echo "harness: $join_file does not hold a kubeadm join command with an endpoint, --token and --discovery-token-ca-cert-hash" >&2
  exit 1
fi
mkdir -p "$(dirname ${quote(kubeadmOutputLog)})"
kubeadm join "$endpoint" --token "$token" "\${hashes[@]}" --cri-socket ${quote(criSocket)} --node-name ${quote(node.name)}${flags} 2>&1 | tee -a ${quote(kubeadmOutputLog)}`;
}

/** kubeadm join on every worker of a Kubernetes scenario. */
export const kubeadmJoinRecipe: Recipe = {
  name: "kubeadm-join",
  plan({ scenario, machines }) {
    if (scenario.kubernetes === "none") return { steps: [], artifacts: [] };
    const workers = machines.filter((m) => m.role === "worker");
    if (workers.length === 0) return { steps: [], artifacts: [] };
    const socket = criSocketOf(scenario);
    const breaks = faultsBreak(scenario, "bootstrap");
    const ignored = ignoredPreflightChecks(scenario.kubernetes, []);
    return {
      steps: [
        scriptStep({
          recipe: "kubeadm-join",
          name: "kubeadm-join",
          phase: "join",
          description: `kubeadm join --cri-socket ${socket} on ${workers.map((w) => w.name).join(", ")}${ignored.length > 0 ? ` (preflight errors ignored: ${ignored.join(", ")})` : ""}, with the endpoint, token and CA hash read from ${joinCommandPath} (copied there by the runner from the control plane)${breaks ? "; a fault of this scenario is expected to make it fail" : ""}`,
          nodes: workers,
          body: (node) => joinScript(node, socket, ignorePreflightFlag(ignored)),
          timeoutMs: 600_000,
          retries: 1,
          expect: breaks ? "any" : "success",
        }),
      ],
      artifacts: [],
    };
  },
};
