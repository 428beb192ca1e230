// Recipe: kubeadm, kubelet and kubectl from pkgs.k8s.io at the pinned version, held; kubelet's node-ip and crictl's endpoint.
import {
  kubernetesAptRepository,
  kubernetesDependencyPackages,
  kubernetesPackages,
} from "./data/kubernetes.ts";
import { aptInstallFunction } from "./apt-install.ts";
import { crictlEndpoint, criSocketOf, kubernetesRelease } from "./kubernetes-versions.ts";
import { aptPackageArtifact } from "./package-source.ts";
import { kubeletExtraArgsDescription, kubeletExtraArgsLine } from "./kubelet-extra-args.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";
import { quote } from "./shell.ts";

/** Installs the Kubernetes packages on every node of a Kubernetes scenario. */
export const kubernetesPackagesRecipe: Recipe = {
  name: "kubernetes-packages",
  plan({ scenario, machines }) {
    const { kubernetes } = scenario;
    if (kubernetes === "none") return { steps: [], artifacts: [] };
    const release = kubernetesRelease(kubernetes.version);
    if (release.source.from !== "pkgs.k8s.io") return { steps: [], artifacts: [] };
    const { packageVersion } = release.source;
    const repo = kubernetesAptRepository(release.minor);
    const label = `pkgs.k8s.io-v${release.minor}`;
    const parts = [
      ...kubernetesDependencyPackages.map((p) => aptPackageArtifact(repo, label, p, "*", "kubernetes")),
      ...kubernetesPackages.map((p) => aptPackageArtifact(repo, label, p, packageVersion, "kubernetes")),
    ];
    const socket = criSocketOf(scenario);
    return {
      steps: [
        scriptStep({
          recipe: "kubernetes-packages",
          name: "kubernetes-packages",
          phase: "install-runtime",
          description: `install ${kubernetesPackages.join(", ")} ${packageVersion} from ${repo.url} (with cri-tools and kubernetes-cni from the same repository), apt-mark hold; ${kubeletExtraArgsDescription(kubernetes)}; crictl pointed at ${crictlEndpoint(socket)}`,
          nodes: machines,
          body: (node) => `${aptInstallFunction}
apt_install ${parts.map((p) => quote(p.path)).join(" ")}
apt-mark hold ${kubernetesPackages.join(" ")}
${kubeletExtraArgsLine(kubernetes, node.privateIp)}
printf 'runtime-endpoint: %s\\nimage-endpoint: %s\\n' ${quote(crictlEndpoint(socket))} ${quote(crictlEndpoint(socket))} > /etc/crictl.yaml
systemctl enable kubelet
kubeadm version -o short`,
          timeoutMs: 600_000,
          uploads: parts.map((p) => p.upload),
        }),
      ],
      artifacts: parts.map((p) => p.artifact),
    };
  },
};
