// Resolves a scenario's Kubernetes version against the data file: package version, minor, kubeadm API, CRI socket.
import { ExitCode, HarnessError } from "../errors.ts";
import type { Scenario } from "../scenario/schema.ts";
import { criDockerdSocket } from "./data/cri-dockerd.ts";
import { kubeadmV1beta4FromMinor, kubernetesPackageVersions } from "./data/kubernetes.ts";

/** containerd's CRI socket. */
export const containerdSocket = "unix:///run/containerd/containerd.sock";

/** The Kubernetes release of a scenario, resolved. */
export interface KubernetesRelease {
  version: string;
  minor: string;
  packageVersion: string;
  kubeadmApi: "kubeadm.k8s.io/v1beta3" | "kubeadm.k8s.io/v1beta4";
}

/** Resolves `1.30.4` to its pinned package version and the kubeadm config API its kubeadm reads. */
export function kubernetesRelease(version: string): KubernetesRelease {
  const packageVersion = kubernetesPackageVersions[version];
  if (packageVersion === undefined)
    throw new HarnessError(
      "KUBERNETES_VERSION_UNPINNED",
      `Kubernetes ${version} has no pinned package version`,
      {
        hint: `pick one of ${Object.keys(kubernetesPackageVersions).join(", ")}, or add ${version} with its pkgs.k8s.io revision to harness/recipes/data/kubernetes.ts`,
        exitCode: ExitCode.usage,
      },
    );
  const minorNumber = Number(version.split(".")[1]);
  return {
    version,
    minor: `1.${minorNumber}`,
    packageVersion,
    kubeadmApi: minorNumber >= kubeadmV1beta4FromMinor ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3",
  };
}

/** The CRI socket kubelet and kubeadm use for the scenario's runtime. */
export function criSocketOf(scenario: Scenario): string {
  return scenario.runtime.kind === "docker-cri-dockerd" ? criDockerdSocket : containerdSocket;
}
