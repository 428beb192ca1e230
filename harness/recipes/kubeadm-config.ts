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

/**
 * Leader-election timing of controller-manager and scheduler (upstream's defaults: lease 15s, renew deadline 10s,
 * retry 2s). Under TCG the API server took longer than 10 s to answer a lease renewal: `leaderelection lost`, and
 * in one run here controller-manager restarted 4 times and the scheduler 3 times in 10 minutes, while the smoke
 * deployment's rollout waited on them until it timed out. With one control plane there is no one to fail over to,
 * so a longer lease costs nothing; the renew deadline is also the lease request's timeout.
 */
export const leaderElectionArgs: Readonly<Record<string, string>> = {
  "leader-elect-lease-duration": "60s",
  "leader-elect-renew-deadline": "40s",
  "leader-elect-retry-period": "5s",
};

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
      controllerManager: { extraArgs: extraArgs(api, { ...leaderElectionArgs, ...v.controllerManagerArgs }) },
      scheduler: { extraArgs: extraArgs(api, leaderElectionArgs) },
    },
    {
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      cgroupDriver: v.cgroupDriver,
    },
  ];
  return docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join("---\n");
}
