// Recipe: the `bridge` and `bridge-daemonset` CNI choices: the CNI bridge and host-local plugins with a /24 of the
// pod subnet per node (assigned by the harness in node order, written into each Node's spec.podCIDR), and a route
// to every other node's pods via that node's private address. No overlay and nothing to download. `bridge` writes
// each node's config before kubelet starts; `bridge-daemonset` leaves that to a DaemonSet (bridge-cni-daemonset.ts).
import { ExitCode, HarnessError } from "../errors.ts";
import type { MachinePlan } from "../plan/plan.ts";
import { isBridgeCni, podSubnetNodeCapacity } from "../scenario/pod-subnet.ts";
import { faultsBreak } from "./bootstrap-failures.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";
import { retriedKubectlFunction } from "./kubectl-retry.ts";
import { heredoc, quote } from "./shell.ts";

/** Where the bridge network's config is written on each node. */
export const bridgeConfigPath = "/etc/cni/net.d/10-harness-bridge.conflist";

/** Name of the `bridge-daemonset` DaemonSet, its ConfigMap and its pods' `app` label, in kube-system. */
export const bridgeDaemonSetName = "harness-bridge-cni";

/** The /24 of `podSubnet` that node `index` gets (10.244.0.0/16, 1 -> 10.244.1.0/24). */
export function nodePodCidr(podSubnet: string, index: number): string {
  const capacity = podSubnetNodeCapacity(podSubnet);
  const [base = "", bitsText = ""] = podSubnet.split("/");
  const octets = base.split(".").map(Number);
  if (capacity === null || octets.length !== 4 || octets.some((o) => !Number.isInteger(o)))
    throw new HarnessError(
      "BRIDGE_SUBNET_UNSUPPORTED",
      `cni.podSubnet ${podSubnet} cannot be split into a /24 per node`,
      { hint: "use a pod subnet of /8 to /24, e.g. 10.244.0.0/16", exitCode: ExitCode.usage },
    );
  if (index >= capacity)
    throw new HarnessError(
      "BRIDGE_SUBNET_TOO_SMALL",
      `cni.podSubnet ${podSubnet} has no /24 for node ${index + 1}`,
      { hint: "use a larger pod subnet", exitCode: ExitCode.usage },
    );
  const start = octets.reduce((n, o) => n * 256 + o, 0);
  const n = start - (start % 2 ** (32 - Number(bitsText))) + index * 256;
  return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".")}/24`;
}

/** The conflist of one node: bridge cni0 as the pods' gateway, host-local addresses from the node's /24. */
export function bridgeConflist(podCidr: string): string {
  return JSON.stringify(
    {
      cniVersion: "0.4.0",
      name: "harness-bridge",
      plugins: [
        {
          type: "bridge",
          bridge: "cni0",
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: { type: "host-local", ranges: [[{ subnet: podCidr }]], routes: [{ dst: "0.0.0.0/0" }] },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

function configureScript(
  node: MachinePlan,
  machines: MachinePlan[],
  podSubnet: string,
  writeConfig: boolean,
): string {
  const own = nodePodCidr(podSubnet, machines.indexOf(node));
  const routes = machines
    .map((m, i) => ({ m, cidr: nodePodCidr(podSubnet, i) }))
    .filter(({ m }) => m.name !== node.name)
    .map(({ m, cidr }) => `route_via ${quote(cidr)} ${quote(m.privateIp)}`);
  return `# The interface toward a peer is the one the kernel routes its private address through (provider-neutral).
route_via() {
  local cidr=$1 peer=$2 dev
  dev=$(ip -o route get "$peer" | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')
  ip route replace "$cidr" via "$peer" dev "$dev"
}
mkdir -p /etc/cni/net.d
rm -f /etc/cni/net.d/*.conf /etc/cni/net.d/*.conflist
${
  writeConfig
    ? `cat > ${quote(bridgeConfigPath)} ${heredoc(bridgeConflist(own), "JSON")}`
    : `# No CNI config until the DaemonSet's pod writes it: the node is NotReady (cni plugin not initialized) until then.`
}
${routes.join("\n")}
ip route show | grep -F ' via ' || true
echo "harness: pods of ${node.name} get addresses from ${own}"`;
}

/** Ends the step at once when a fault broke the bootstrap and no API server answers. */
const noControlPlaneGuard = `if [ ! -f "$KUBECONFIG" ] || ! kubectl get --raw=/readyz --request-timeout=10s > /dev/null 2>&1; then
  echo "harness: no API server answers (kubeadm init did not finish, as this scenario's fault intends): no Node to write a pod CIDR into" >&2
  exit 1
fi
`;

function podCidrScript(machines: MachinePlan[], podSubnet: string, bootstrapBroken: boolean): string {
  const lines = machines.map((m, i) => `assign ${quote(m.name)} ${quote(nodePodCidr(podSubnet, i))}`);
  return `export KUBECONFIG=/etc/kubernetes/admin.conf
${bootstrapBroken ? noControlPlaneGuard : ""}# An API server that restarts (a fault of the scenario, a loaded host) refuses connections for a while:
# every call is retried for up to 3 minutes.
${retriedKubectlFunction}
assign() {
  local node=$1 cidr=$2 current
  current=$(kube get node "$node" -o jsonpath='{.spec.podCIDR}')
  if [ -z "$current" ]; then
    kube patch node "$node" --type merge -p "{\\"spec\\":{\\"podCIDR\\":\\"$cidr\\",\\"podCIDRs\\":[\\"$cidr\\"]}}"
  elif [ "$current" != "$cidr" ]; then
    echo "harness: node $node has podCIDR $current, but its bridge config uses $cidr" >&2
    return 1
  fi
}
${lines.join("\n")}
kube get nodes -o custom-columns=NAME:.metadata.name,POD-CIDR:.spec.podCIDR,IP:.status.addresses[0].address`;
}

/**
 * The bridge CNI on every node (its config before kubelet starts, unless a DaemonSet writes it), the routes, and
 * the pod CIDRs recorded on the Node objects.
 */
export const bridgeCniRecipe: Recipe = {
  name: "bridge-cni",
  plan({ scenario, machines }) {
    if (scenario.kubernetes === "none" || !isBridgeCni(scenario.cni.plugin))
      return { steps: [], artifacts: [] };
    const writeConfig = scenario.cni.plugin === "bridge";
    const controlPlane = machines.find((m) => m.role === "control-plane");
    if (controlPlane === undefined) return { steps: [], artifacts: [] };
    const { podSubnet } = scenario.cni;
    const assignment = machines.map((m, i) => `${m.name} ${nodePodCidr(podSubnet, i)}`).join(", ");
    const broken = faultsBreak(scenario, "bootstrap");
    return {
      steps: [
        scriptStep({
          recipe: "bridge-cni",
          name: "bridge-cni",
          phase: "configure",
          description: writeConfig
            ? `CNI bridge + host-local (${bridgeConfigPath}) with a /24 per node (${assignment}); routes to the other nodes' pods via their private addresses`
            : `no CNI config yet (the DaemonSet ${bridgeDaemonSetName} writes ${bridgeConfigPath}, a /24 per node: ${assignment}); routes to the other nodes' pods via their private addresses`,
          nodes: machines,
          body: (node) => configureScript(node, machines, podSubnet, writeConfig),
          timeoutMs: 60_000,
        }),
        scriptStep({
          recipe: "bridge-cni",
          name: "pod-cidrs",
          phase: "join",
          description: `write each node's pod CIDR into its Node object (${assignment}; kube-controller-manager runs with --allocate-node-cidrs=false so the API agrees with the bridge configs)${broken ? "; a fault of this scenario is expected to leave no API server, which ends this step at once" : ""}`,
          nodes: [controlPlane],
          body: () => podCidrScript(machines, podSubnet, broken),
          timeoutMs: 300_000,
          expect: broken ? "any" : "success",
        }),
      ],
      artifacts: [],
    };
  },
};
