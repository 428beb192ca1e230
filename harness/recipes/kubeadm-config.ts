// Renders kubeadm's init config (InitConfiguration, ClusterConfiguration, KubeletConfiguration) with the yaml library.
import { stringify } from "yaml";
import type { KubernetesRelease } from "./kubernetes-versions.ts";

/** The values the init config carries. */
export interface KubeadmInitValues {
  release: KubernetesRelease;
  nodeName: string;
  advertiseAddress: string;
  criSocket: string;
  podSubnet: string;
  serviceSubnet: string;
  cgroupDriver: "systemd" | "cgroupfs";
  /** Taints of the control plane: null keeps kubeadm's default, [] leaves it schedulable (single-node scenarios). */
  taints: null | [];
  /** etcd's image tag when it is not kubeadm's default (a locally built etcd says what it is). */
  etcdImageTag: string | null;
  /** controller-manager flags (e.g. allocate-node-cidrs false when the harness assigns pod CIDRs itself). */
  controllerManagerArgs: Record<string, string>;
}

/**
 * How long `kubeadm init` waits for a healthy control plane (kubeadm's default: 4m). Under TCG the wait ran out
 * here once, with every static pod started and the API server not yet answering; successful inits took 5m52s to
 * 6m07s in all, so the default leaves no margin. A healthy control plane still ends the wait at once.
 */
export const controlPlaneTimeout = "10m0s";

/** Extra flags in the shape each API wants: a map in v1beta2 and v1beta3, a list of {name, value} in v1beta4. */
function extraArgs(
  api: KubernetesRelease["kubeadmApi"],
  args: Record<string, string>,
): Record<string, string> | { name: string; value: string }[] {
  if (api !== "kubeadm.k8s.io/v1beta4") return args;
  return Object.entries(args).map(([name, value]) => ({ name, value }));
}

/** The multi-document YAML for `kubeadm init --config`. */
export function kubeadmInitConfig(v: KubeadmInitValues): string {
  const api = v.release.kubeadmApi;
  const docs = [
    {
      apiVersion: api,
      kind: "InitConfiguration",
      localAPIEndpoint: { advertiseAddress: v.advertiseAddress, bindPort: 6443 },
      nodeRegistration: {
        name: v.nodeName,
        criSocket: v.criSocket,
        kubeletExtraArgs: extraArgs(api, { "node-ip": v.advertiseAddress }),
        ...(v.taints === null ? {} : { taints: v.taints }),
      },
      // v1beta4 moved the wait's timeout from ClusterConfiguration.apiServer to InitConfiguration.timeouts.
      ...(api === "kubeadm.k8s.io/v1beta4"
        ? { timeouts: { controlPlaneComponentHealthCheck: controlPlaneTimeout } }
        : {}),
    },
    {
      apiVersion: api,
      kind: "ClusterConfiguration",
      kubernetesVersion: `v${v.release.version}`,
      networking: { podSubnet: v.podSubnet, serviceSubnet: v.serviceSubnet },
      ...(api === "kubeadm.k8s.io/v1beta4"
        ? {}
        : { apiServer: { timeoutForControlPlane: controlPlaneTimeout } }),
      ...(v.etcdImageTag === null ? {} : { etcd: { local: { imageTag: v.etcdImageTag } } }),
      ...(Object.keys(v.controllerManagerArgs).length === 0
        ? {}
        : { controllerManager: { extraArgs: extraArgs(api, v.controllerManagerArgs) } }),
    },
    {
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      cgroupDriver: v.cgroupDriver,
    },
  ];
  return docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join("---\n");
}
