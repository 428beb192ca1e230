// Recipe: flannel or calico at a pinned version, with the pod subnet and the private-segment interface patched in.
import { privateSubnet } from "../plan/planner.ts";
import { calicoManifest, defaultCalicoVersion } from "./data/calico.ts";
import { defaultFlannelVersion, flannelManifest } from "./data/flannel.ts";
import { isBridgeCni } from "../scenario/pod-subnet.ts";
import { faultsBreak } from "./bootstrap-failures.ts";
import { applyManifestScript, manifestArtifact, type CniManifest } from "./cni-manifest.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";

/**
 * An address every node routes through its private-segment interface and no node owns (a node's own address
 * would resolve to lo): the segment's network address, as `ip route get` sees it.
 */
const privateSegmentProbeAddress = privateSubnet.split("/")[0] ?? privateSubnet;

function flannel(version: string, podSubnet: string): CniManifest {
  const source = flannelManifest(version);
  return {
    plugin: "flannel",
    version,
    url: source.url,
    sha256: source.sha256,
    fileName: "kube-flannel.yml",
    patches: [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "kube-flannel-cfg", namespace: "kube-flannel" },
        data: { "net-conf.json": JSON.stringify({ Network: podSubnet, Backend: { Type: "vxlan" } }) },
      },
      {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "kube-flannel-ds", namespace: "kube-flannel" },
        spec: {
          template: {
            spec: {
              // flanneld reads FLANNELD_<FLAG>: --iface-can-reach picks the private-segment interface.
              containers: [
                {
                  name: "kube-flannel",
                  env: [{ name: "FLANNELD_IFACE_CAN_REACH", value: privateSegmentProbeAddress }],
                },
              ],
            },
          },
        },
      },
    ],
    waitFor: [{ namespace: "kube-flannel", selector: "app=flannel" }],
  };
}

function calico(version: string, podSubnet: string): CniManifest {
  const source = calicoManifest(version);
  return {
    plugin: "calico",
    version,
    url: source.url,
    sha256: source.sha256,
    fileName: "calico.yaml",
    patches: [
      {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "calico-node", namespace: "kube-system" },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: "calico-node",
                  env: [
                    { name: "CALICO_IPV4POOL_CIDR", value: podSubnet },
                    { name: "IP_AUTODETECTION_METHOD", value: `cidr=${privateSubnet}` },
                  ],
                },
              ],
            },
          },
        },
      },
    ],
    waitFor: [
      { namespace: "kube-system", selector: "k8s-app=calico-node" },
      { namespace: "kube-system", selector: "k8s-app=calico-kube-controllers" },
    ],
  };
}

/** The CNI plugin of a Kubernetes scenario, applied from the control plane. */
export const cniRecipe: Recipe = {
  name: "cni",
  plan({ scenario, machines }) {
    if (scenario.kubernetes === "none" || scenario.cni.plugin === "none" || isBridgeCni(scenario.cni.plugin))
      return { steps: [], artifacts: [] };
    const controlPlane = machines.find((m) => m.role === "control-plane");
    if (controlPlane === undefined) return { steps: [], artifacts: [] };
    const { podSubnet } = scenario.cni;
    const manifest =
      scenario.cni.plugin === "flannel"
        ? flannel(scenario.cni.version ?? defaultFlannelVersion, podSubnet)
        : calico(scenario.cni.version ?? defaultCalicoVersion, podSubnet);
    const a = manifestArtifact(manifest, scenario.name);
    const breaks = faultsBreak(scenario, "bootstrap", "pod-network");
    return {
      steps: [
        scriptStep({
          recipe: "cni",
          name: manifest.plugin,
          phase: "cni",
          description: `apply ${manifest.plugin} ${manifest.version} (${manifest.url}) with pod subnet ${podSubnet} and the private segment's interface patched in by kustomize; wait up to 5m for its pods to be Ready`,
          nodes: [controlPlane],
          body: () => applyManifestScript(manifest, 300),
          timeoutMs: 600_000,
          uploads: [a.upload],
          expect: breaks ? "any" : "success",
        }),
      ],
      artifacts: [a.artifact],
    };
  },
};
