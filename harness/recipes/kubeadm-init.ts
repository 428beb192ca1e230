// Recipe: `kubeadm init` on the control plane with a rendered config; writes the join command for the runner.
import { kubeadmOutputLog } from "../probes/preflight-probe.ts";
import { isBridgeCni } from "../scenario/pod-subnet.ts";
import { faultsBreak } from "./bootstrap-failures.ts";
import { kubeadmInitConfig, leaderElectionArgs } from "./kubeadm-config.ts";
import { ignoredPreflightChecks, ignorePreflightFlag } from "./kubeadm-preflight.ts";
import { criSocketOf, kubernetesRelease } from "./kubernetes-versions.ts";
import type { Recipe } from "./recipe.ts";
import { harnessStateDir, scriptStep } from "./recipe-step.ts";
import { heredoc, quote } from "./shell.ts";

/**
 * The file the control-plane step writes with `kubeadm token create --print-join-command`. Contract with the
 * runner: after bootstrap/kubeadm-init succeeds, it copies this file from the control plane to the same path on
 * every worker before join/kubeadm-join runs.
 */
export const joinCommandPath = `${harnessStateDir}/join-command`;

/** Where the rendered kubeadm config is written on the control plane. */
export const kubeadmConfigPath = "/etc/kubernetes/harness/kubeadm-init.yaml";

/** kubeadm init on the control-plane node of a Kubernetes scenario. */
export const kubeadmInitRecipe: Recipe = {
  name: "kubeadm-init",
  plan({ scenario, machines }) {
    if (scenario.kubernetes === "none") return { steps: [], artifacts: [] };
    const controlPlane = machines.find((m) => m.role === "control-plane");
    if (controlPlane === undefined) return { steps: [], artifacts: [] };
    const release = kubernetesRelease(scenario.kubernetes.version);
    const hasWorkers = machines.some((m) => m.role === "worker");
    const built = release.source.from === "debian-source" ? release.source : null;
    const config = kubeadmInitConfig({
      release,
      nodeName: controlPlane.name,
      advertiseAddress: controlPlane.privateIp,
      criSocket: criSocketOf(scenario),
      podSubnet: scenario.cni.podSubnet,
      serviceSubnet: scenario.kubernetes.serviceSubnet,
      cgroupDriver: "systemd",
      taints: hasWorkers ? null : [],
      etcdImageTag: built?.etcdImageTag ?? null,
      controllerManagerArgs: isBridgeCni(scenario.cni.plugin) ? { "allocate-node-cidrs": "false" } : {},
    });
    // A built release has no CoreDNS (none exists in Debian): skip the addon; kubeadm 1.20's ImagePull preflight
    // still lists coredns:1.7.0, so the harness checks every other image itself and skips that preflight.
    const ignored = ignoredPreflightChecks(scenario.kubernetes, built ? ["ImagePull"] : []);
    const initFlags = `${built ? " --skip-phases=addon/coredns" : ""}${ignorePreflightFlag(ignored)}`;
    const imageCheck = built
      ? `missing=()
while read -r image; do
  case "$image" in
    */coredns:*) continue ;;
  esac
  ${scenario.runtime.kind === "docker" ? "docker image inspect" : "crictl inspecti"} "$image" > /dev/null 2>&1 || missing+=("$image")
done < <(kubeadm config images list --config ${quote(kubeadmConfigPath)} 2>/dev/null)
if [ "\${#missing[@]}" -gt 0 ]; then
  echo "harness: images kubeadm needs are not in the runtime: \${missing[*]}" >&2
  exit 1
fi
echo "harness: every image kubeadm lists is present except CoreDNS (not built: no cluster DNS in this cluster)"
`
      : "";
    const breaks = faultsBreak(scenario, "bootstrap");
    return {
      steps: [
        scriptStep({
          recipe: "kubeadm-init",
          name: "kubeadm-init",
          phase: "bootstrap",
          description: `kubeadm init (${release.kubeadmApi}, kubelet cgroupDriver systemd, controller-manager and scheduler leader election with a ${leaderElectionArgs["leader-elect-lease-duration"]} lease and ${leaderElectionArgs["leader-elect-renew-deadline"]} renew deadline so a slow API server does not restart them, advertise ${controlPlane.privateIp}, pods ${scenario.cni.podSubnet}${hasWorkers ? "" : ", control plane untainted: a single node runs the workload"}${scenario.kubernetes.ignorePreflightErrors.length > 0 ? `, preflight errors ignored: ${scenario.kubernetes.ignorePreflightErrors.join(", ")}` : ""}${built ? `; CoreDNS skipped (--skip-phases=addon/coredns: no cluster DNS, workloads use Service IPs), the ImagePull preflight replaced by the harness's own check of every other image, etcd tagged ${built.etcdImageTag}` : ""}); output appended to ${kubeadmOutputLog}${hasWorkers ? `; writes \`kubeadm token create --print-join-command\` to ${joinCommandPath}, which the runner copies to every worker before join/kubeadm-join` : ""}${breaks ? "; a fault of this scenario is expected to make it fail" : ""}`,
          nodes: [controlPlane],
          body: () => `mkdir -p /etc/kubernetes/harness ${quote(harnessStateDir)} "$(dirname ${quote(kubeadmOutputLog)})"
cat > ${quote(kubeadmConfigPath)} ${heredoc(config, "YAML")}
if [ -f /etc/kubernetes/admin.conf ]; then
  echo "harness: /etc/kubernetes/admin.conf exists: the control plane is already initialised"
else
  ${imageCheck}kubeadm init --config ${quote(kubeadmConfigPath)}${initFlags} 2>&1 | tee -a ${quote(kubeadmOutputLog)}
fi
mkdir -p /root/.kube
cp /etc/kubernetes/admin.conf /root/.kube/config
${hasWorkers ? `kubeadm token create --print-join-command > ${quote(`${joinCommandPath}.new`)}\nmv ${quote(`${joinCommandPath}.new`)} ${quote(joinCommandPath)}\n` : ""}kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o wide`,
          timeoutMs: 900_000,
          expect: breaks ? "any" : "success",
        }),
      ],
      artifacts: [],
    };
  },
};
