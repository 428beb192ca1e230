// Resolves a scenario's Kubernetes version: where it comes from (pkgs.k8s.io, or built here from Debian's source),
// its minor, the kubeadm config API its kubeadm reads, and the CRI socket.
import { ExitCode, HarnessError } from "../errors.ts";
import type { Scenario } from "../scenario/schema.ts";
import { criDockerdSocket } from "./data/cri-dockerd.ts";
import {
  kubeadmV1beta3FromMinor,
  kubeadmV1beta4FromMinor,
  kubernetesBuiltReleases,
  kubernetesPackageVersions,
} from "./data/kubernetes.ts";

/** containerd's CRI socket. */
export const containerdSocket = "unix:///run/containerd/containerd.sock";

/** Where a release's binaries come from. */
export type KubernetesSource =
  | { from: "pkgs.k8s.io"; packageVersion: string }
  | {
      from: "debian-source";
      payload: "kubernetes-v1.20.2";
      etcdImageTag: string;
      smokeImage: string;
      cniInstallerImage: string;
      images: readonly string[];
    };

/** The Kubernetes release of a scenario, resolved. */
export interface KubernetesRelease {
  version: string;
  minor: string;
  source: KubernetesSource;
  kubeadmApi: "kubeadm.k8s.io/v1beta2" | "kubeadm.k8s.io/v1beta3" | "kubeadm.k8s.io/v1beta4";
}

/** Resolves `1.30.4` to its pinned package version (or `1.20.2` to the local build) and its kubeadm config API. */
export function kubernetesRelease(version: string): KubernetesRelease {
  const built = kubernetesBuiltReleases[version];
  const packageVersion = kubernetesPackageVersions[version];
  if (built === undefined && packageVersion === undefined)
    throw new HarnessError(
      "KUBERNETES_VERSION_UNPINNED",
      `Kubernetes ${version} is neither built here nor pinned to a package version`,
      {
        hint: `pick one of ${[...Object.keys(kubernetesBuiltReleases), ...Object.keys(kubernetesPackageVersions)].join(", ")} (${Object.keys(kubernetesBuiltReleases).join(", ")} built from Debian's source), or add ${version} with its pkgs.k8s.io revision to harness/recipes/data/kubernetes.ts`,
        exitCode: ExitCode.usage,
      },
    );
  const minorNumber = Number(version.split(".")[1]);
  return {
    version,
    minor: `1.${minorNumber}`,
    source:
      built !== undefined
        ? { from: "debian-source", ...built }
        : { from: "pkgs.k8s.io", packageVersion: packageVersion ?? "" },
    kubeadmApi:
      minorNumber >= kubeadmV1beta4FromMinor
        ? "kubeadm.k8s.io/v1beta4"
        : minorNumber >= kubeadmV1beta3FromMinor
          ? "kubeadm.k8s.io/v1beta3"
          : "kubeadm.k8s.io/v1beta2",
  };
}

/**
 * The kubelet's built-in dockershim socket (Kubernetes 1.23 and older). kubeadm recognizes Docker only by exactly
 * this path (constants.DefaultDockerCRISocket), and only then writes `--network-plugin=cni` for the kubelet.
 */
export const dockershimSocket = "/var/run/dockershim.sock";

/** The CRI socket kubelet and kubeadm use for the scenario's runtime. */
export function criSocketOf(scenario: Scenario): string {
  switch (scenario.runtime.kind) {
    case "containerd":
      return containerdSocket;
    case "docker":
      return dockershimSocket;
    case "docker-cri-dockerd":
      return criDockerdSocket;
  }
}

/** A CRI socket as crictl's endpoint: a bare path gets the unix:// scheme. */
export function crictlEndpoint(socket: string): string {
  return socket.startsWith("/") ? `unix://${socket}` : socket;
}
