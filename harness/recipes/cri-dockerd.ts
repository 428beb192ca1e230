// Recipe: cri-dockerd from its release tarball, a local .tgz/.deb or an apt repository, with units the harness writes.
import type { ArtifactPlan, ArtifactUse } from "../plan/plan.ts";
import type { Scenario } from "../scenario/schema.ts";
import { criDockerdRelease } from "./data/cri-dockerd.ts";
import { kubeadmPauseImages } from "./data/kubernetes.ts";
import { aptInstallFunction } from "./apt-install.ts";
import {
  criDockerdBinary,
  criDockerdBinaryFor,
  criDockerdUnitsScript,
  networkPluginFlag,
} from "./cri-dockerd-unit.ts";
import { aptPackageArtifact, localFileArtifact, repositoryOf, unsupportedSource } from "./package-source.ts";
import type { Recipe } from "./recipe.ts";
import { artifactDir, scriptStep } from "./recipe-step.ts";
import { quote } from "./shell.ts";

/** The pause image cri-dockerd is told to use: the scenario's, else kubeadm's for the Kubernetes minor. */
export function criDockerdPodInfraImage(scenario: Scenario): string | null {
  if (scenario.runtime.kind !== "docker-cri-dockerd") return null;
  if (scenario.runtime.criDockerd.podInfraContainerImage !== undefined)
    return scenario.runtime.criDockerd.podInfraContainerImage;
  if (scenario.kubernetes === "none") return null;
  return kubeadmPauseImages[scenario.kubernetes.version.split(".").slice(0, 2).join(".")] ?? null;
}

function tarballInstall(tarball: string): string {
  const dir = `${artifactDir}/cri-dockerd/unpacked`;
  return `rm -rf ${quote(dir)}
mkdir -p ${quote(dir)}
tar -C ${quote(dir)} -xzf ${quote(tarball)}
install -m 0755 ${quote(`${dir}/cri-dockerd/cri-dockerd`)} ${criDockerdBinary}`;
}

/** cri-dockerd for runtime.kind docker-cri-dockerd; socket unix:///var/run/cri-dockerd.sock. */
export const criDockerdRecipe: Recipe = {
  name: "cri-dockerd",
  plan({ scenario, machines, cell }) {
    if (scenario.runtime.kind !== "docker-cri-dockerd") return { steps: [], artifacts: [] };
    const spec = scenario.runtime.criDockerd;
    const source = spec.source;
    let install: string;
    const binary = criDockerdBinaryFor(source);
    let uploads: ArtifactUse[];
    let artifacts: ArtifactPlan[];
    let summary: string;
    if (source.from === "release") {
      const release = criDockerdRelease(source.version);
      const key = `url:${release.url}`;
      const path = `${artifactDir}/cri-dockerd/cri-dockerd.tgz`;
      install = tarballInstall(path);
      uploads = [{ artifact: key, to: path }];
      artifacts = [
        {
          kind: "url",
          key,
          url: release.url,
          checksum:
            release.sha256 === null
              ? {
                  unpinned: `Mirantis publishes no checksum for cri-dockerd ${source.version}: run \`harness artifacts pin ${scenario.name}\` where the internet is; it records the sha256 in artifacts.lock.json (commit it)`,
                  field: ["runtime", "criDockerd", "source", "version"],
                }
              : { sha256: release.sha256 },
        },
      ];
      summary = `cri-dockerd ${source.version} release tarball`;
    } else if (source.from === "file") {
      const isDeb = source.path.endsWith(".deb");
      if (!isDeb && !/\.(tar\.gz|tgz)$/.test(source.path))
        throw unsupportedSource(
          "cri-dockerd",
          `file ${source.path}`,
          "give the release .tgz or a .deb package",
        );
      const a = localFileArtifact(
        cell.file,
        source,
        "cri-dockerd",
        isDeb ? "cri-dockerd.deb" : "cri-dockerd.tgz",
      );
      install = isDeb ? `${aptInstallFunction}\napt_install ${quote(a.path)}` : tarballInstall(a.path);
      uploads = [a.upload];
      artifacts = [a.artifact];
      summary = `cri-dockerd from the local file ${source.path}`;
    } else if (source.from === "apt") {
      const { repo, label } = repositoryOf(source);
      const a = aptPackageArtifact(
        repo,
        label,
        source.package ?? "cri-dockerd",
        source.version,
        "cri-dockerd",
      );
      install = `${aptInstallFunction}\napt_install ${quote(a.path)}`;
      uploads = [a.upload];
      artifacts = [a.artifact];
      summary = `cri-dockerd ${source.version} from ${label}`;
    } else {
      throw unsupportedSource(
        "cri-dockerd",
        "distro",
        "Debian and Ubuntu do not package cri-dockerd: use from: release with a version like 0.3.15",
      );
    }
    const plugin = networkPluginFlag(spec.networkPlugin);
    const podInfra = criDockerdPodInfraImage(scenario);
    return {
      steps: [
        scriptStep({
          recipe: "cri-dockerd",
          name: "cri-dockerd",
          phase: "install-runtime",
          description: `install ${summary}; write cri-docker.socket and cri-docker.service (${plugin}${podInfra === null ? "" : `, --pod-infra-container-image=${podInfra}`})`,
          nodes: machines,
          body: () => `${install}\n${criDockerdUnitsScript(binary, plugin, podInfra)}`,
          timeoutMs: 300_000,
          uploads,
        }),
      ],
      artifacts,
    };
  },
};
