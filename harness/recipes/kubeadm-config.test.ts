import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { kubeadmInitConfig, leaderElectionArgs, type KubeadmInitValues } from "./kubeadm-config.ts";
import { kubernetesRelease } from "./kubernetes-versions.ts";

function docs(version: string, overrides: Partial<KubeadmInitValues> = {}): Record<string, unknown>[] {
  const text = kubeadmInitConfig({
    release: kubernetesRelease(version),
    nodeName: "cp1",
    advertiseAddress: "10.200.0.11",
    criSocket: "unix:///run/containerd/containerd.sock",
    podSubnet: "10.244.0.0/16",
    serviceSubnet: "10.96.0.0/12",
    cgroupDriver: "systemd",
    taints: null,
    etcdImageTag: null,
    controllerManagerArgs: {},
    ...overrides,
  });
  return parseAllDocuments(text).map((d) => d.toJSON() as Record<string, unknown>);
}

describe("kubeadmInitConfig", () => {
  it.each([
    { version: "1.20.2", api: "kubeadm.k8s.io/v1beta2", extraArgs: { "node-ip": "10.200.0.11" } },
    { version: "1.29.8", api: "kubeadm.k8s.io/v1beta3", extraArgs: { "node-ip": "10.200.0.11" } },
    { version: "1.30.4", api: "kubeadm.k8s.io/v1beta3", extraArgs: { "node-ip": "10.200.0.11" } },
    {
      version: "1.31.1",
      api: "kubeadm.k8s.io/v1beta4",
      extraArgs: [{ name: "node-ip", value: "10.200.0.11" }],
    },
    {
      version: "1.32.3",
      api: "kubeadm.k8s.io/v1beta4",
      extraArgs: [{ name: "node-ip", value: "10.200.0.11" }],
    },
  ])("Kubernetes $version: $api, kubeletExtraArgs in that API's shape", ({ version, api, extraArgs }) => {
    const [init, cluster, kubelet] = docs(version);
    const v1beta4 = api === "kubeadm.k8s.io/v1beta4";
    const leases = v1beta4
      ? Object.entries(leaderElectionArgs).map(([name, value]) => ({ name, value }))
      : leaderElectionArgs;
    expect(init).toEqual({
      apiVersion: api,
      kind: "InitConfiguration",
      localAPIEndpoint: { advertiseAddress: "10.200.0.11", bindPort: 6443 },
      nodeRegistration: {
        name: "cp1",
        criSocket: "unix:///run/containerd/containerd.sock",
        kubeletExtraArgs: extraArgs,
      },
      ...(v1beta4 ? { timeouts: { controlPlaneComponentHealthCheck: "10m0s" } } : {}),
    });
    expect(cluster).toEqual({
      apiVersion: api,
      kind: "ClusterConfiguration",
      kubernetesVersion: `v${version}`,
      networking: { podSubnet: "10.244.0.0/16", serviceSubnet: "10.96.0.0/12" },
      ...(v1beta4 ? {} : { apiServer: { timeoutForControlPlane: "10m0s" } }),
      controllerManager: { extraArgs: leases },
      scheduler: { extraArgs: leases },
    });
    expect(kubelet).toEqual({
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      cgroupDriver: "systemd",
    });
  });

  it("refuses a version the data file does not pin, saying where to add it", () => {
    expect(() => kubernetesRelease("1.30.99")).toThrow(
      /Kubernetes 1\.30\.99 is neither built here nor pinned to a package version/,
    );
    try {
      kubernetesRelease("1.30.99");
    } catch (e) {
      expect((e as { hint?: string }).hint).toMatch(/harness\/recipes\/data\/kubernetes\.ts/);
    }
  });
});

describe("kubeadmInitConfig for a release built from Debian's source (1.20.2, v1beta2)", () => {
  it("untaints a single-node control plane, tags etcd as built and passes controller-manager flags as a map", () => {
    const [init, cluster] = docs("1.20.2", {
      taints: [],
      etcdImageTag: "3.4.23-debian",
      controllerManagerArgs: { "allocate-node-cidrs": "false" },
    });
    expect((init?.nodeRegistration as Record<string, unknown>).taints).toEqual([]);
    expect(cluster).toMatchObject({
      apiVersion: "kubeadm.k8s.io/v1beta2",
      kubernetesVersion: "v1.20.2",
      etcd: { local: { imageTag: "3.4.23-debian" } },
      controllerManager: { extraArgs: { ...leaderElectionArgs, "allocate-node-cidrs": "false" } },
    });
  });

  it("leaves kubeadm's default taints alone when the cluster has workers", () => {
    const [init] = docs("1.20.2");
    expect(init?.nodeRegistration).not.toHaveProperty("taints");
  });
});
