// Recipe: the kubeadm prerequisites on every node of a Kubernetes scenario (runtime-only scenarios skip it).
import type { MachinePlan } from "../plan/plan.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";
import { heredoc, quote } from "./shell.ts";

/** The line a node prints with its machine-id; the runner compares them across nodes (they must differ). */
export const machineIdMarker = "harness-machine-id:";

function hostsBlock(machines: MachinePlan[]): string {
  return machines.map((m) => `${m.privateIp} ${m.name}`).join("\n");
}

function prepareScript(node: MachinePlan, machines: MachinePlan[]): string {
  return `
# Swap off now and at boot: kubelet refuses to start with swap on (failSwapOn).
swapoff -a
awk '$3 == "swap" && $1 !~ /^#/ { print "# disabled by harness: " $0; next } { print }' /etc/fstab > /etc/fstab.harness-new
cat /etc/fstab.harness-new > /etc/fstab
rm -f /etc/fstab.harness-new

# Kernel modules for the overlay snapshotter and bridged pod traffic, now and at boot.
printf '%s\\n' overlay br_netfilter > /etc/modules-load.d/harness-kubernetes.conf
modprobe overlay
modprobe br_netfilter

# Sysctls kubeadm's preflight checks.
printf '%s\\n' 'net.bridge.bridge-nf-call-iptables = 1' 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/99-harness-kubernetes.conf
sysctl --system > /dev/null
for key in net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward; do
  if [ "$(sysctl -n "$key")" != 1 ]; then
    echo "harness: $key is not 1 after sysctl --system; another file in /etc/sysctl.d overrides it" >&2
    exit 1
  fi
done

# Hostname and every node's private address.
hostnamectl set-hostname ${quote(node.name)}
awk '/^# BEGIN harness nodes$/ { skip = 1 } !skip { print } /^# END harness nodes$/ { skip = 0 }' /etc/hosts > /etc/hosts.harness-new
{
  echo '# BEGIN harness nodes'
  cat ${heredoc(hostsBlock(machines), "HOSTS")}
  echo '# END harness nodes'
} >> /etc/hosts.harness-new
cat /etc/hosts.harness-new > /etc/hosts
rm -f /etc/hosts.harness-new

# Identity the runner compares across nodes (kubeadm needs unique ones).
echo "${machineIdMarker} $(cat /etc/machine-id)"
echo "harness-product-uuid: $(cat /sys/class/dmi/id/product_uuid 2>/dev/null || echo unknown)"

# Clock: certificates kubeadm issues are checked against it.
synced=$(timedatectl show -p NTPSynchronized --value 2>/dev/null || echo unknown)
echo "harness-time-synchronized: $synced ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
if [ "$synced" != yes ]; then
  echo "harness: warning: the clock is not NTP-synchronized; certificate times may be off if it drifts" >&2
fi
`;
}

/** OS preparation for kubeadm: swap, modules, sysctls, hostname and /etc/hosts, machine-id and clock checks. */
export const osPrepRecipe: Recipe = {
  name: "os-prep",
  plan({ scenario, machines }) {
    if (scenario.kubernetes === "none") return { steps: [], artifacts: [] };
    return {
      steps: [
        scriptStep({
          recipe: "os-prep",
          name: "kubernetes-prerequisites",
          phase: "prepare-os",
          description: `swap off (fstab too), overlay + br_netfilter, bridge-nf-call-iptables and ip_forward, hostname and /etc/hosts for ${machines.map((m) => m.name).join(", ")}; prints "${machineIdMarker} <id>" per node for the runner to compare, and the clock's sync state`,
          nodes: machines,
          body: (node) => prepareScript(node, machines),
          timeoutMs: 120_000,
        }),
      ],
      artifacts: [],
    };
  },
};
