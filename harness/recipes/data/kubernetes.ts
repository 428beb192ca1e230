// Kubernetes packages from pkgs.k8s.io: one flat apt repository per minor, package revisions, pause images.

/** The pkgs.k8s.io repository of a minor (`1.30`): a flat repository (suite "/", no component) signed by Release.key. */
export function kubernetesAptRepository(minor: string): {
  url: string;
  suite: string;
  component: string;
  key: string;
} {
  const url = `https://pkgs.k8s.io/core:/stable:/v${minor}/deb/`;
  return { url, suite: "/", component: "", key: `${url}Release.key` };
}

/** Package versions (`1.30.4-1.1`) of the releases the catalog pins; pkgs.k8s.io has published `-1.1` revisions. */
export const kubernetesPackageVersions: Record<string, string> = {
  "1.29.8": "1.29.8-1.1",
  "1.30.4": "1.30.4-1.1",
  "1.31.1": "1.31.1-1.1",
  "1.32.3": "1.32.3-1.1",
};

/**
 * Releases the harness builds itself from Debian's signed source archive (harness/builds), by version: the node
 * payload that carries them, the images the payload holds under which references, and the Debian images they run on.
 */
export const kubernetesBuiltReleases: Record<
  string,
  {
    payload: "kubernetes-v1.20.2";
    etcdImageTag: string;
    smokeImage: string;
    cniInstallerImage: string;
    images: readonly string[];
  }
> = {
  "1.20.2": {
    payload: "kubernetes-v1.20.2",
    etcdImageTag: "3.4.23-debian",
    smokeImage: "harness.local/smoke-httpd:1.30.1",
    cniInstallerImage: "harness.local/cni-installer:1.30.1",
    images: ["debian-11", "debian-12"],
  },
};

/** Where a built release's container image archives are in the guest (the node payload puts them there). */
export const guestImagesDir = "/var/lib/harness/images";

/** Debian packages a node running a built release needs beside the runtime (kubeadm's preflight and kube-proxy). */
export const builtReleaseNodePackages = [
  "conntrack",
  "socat",
  "ebtables",
  "ethtool",
  "iptables",
  "containernetworking-plugins",
] as const;

/** The pause image kubeadm of a minor expects (its preflight warns when the runtime's sandbox image differs). */
export const kubeadmPauseImages: Record<string, string> = {
  "1.20": "k8s.gcr.io/pause:3.2",
  "1.29": "registry.k8s.io/pause:3.9",
  "1.30": "registry.k8s.io/pause:3.9",
  "1.31": "registry.k8s.io/pause:3.10",
  "1.32": "registry.k8s.io/pause:3.10",
};

/** Packages installed from the repository; cri-tools and kubernetes-cni are dependencies resolved from the index. */
export const kubernetesPackages = ["kubeadm", "kubelet", "kubectl"] as const;

/** Dependencies of the packages above, published in the same repository (versions resolved from its index). */
export const kubernetesDependencyPackages = ["cri-tools", "kubernetes-cni"] as const;

/** First minor whose kubeadm reads kubeadm.k8s.io/v1beta4 (v1beta3 is used below it). */
export const kubeadmV1beta4FromMinor = 31;

/** First minor whose kubeadm reads kubeadm.k8s.io/v1beta3 (v1beta2 is used below it). */
export const kubeadmV1beta3FromMinor = 22;
