// Recipe: Docker Engine from the distro (docker.io) or Docker's apt repository (docker-ce, its CLI, containerd.io).
import type { ArtifactPlan, ArtifactUse } from "../plan/plan.ts";
import { dockerDistroPackage, dockerRepositoryPackages } from "./data/docker.ts";
import { aptInstallFunction } from "./apt-install.ts";
import {
  aptPackageArtifact,
  debianPackageInstall,
  repositoryOf,
  unsupportedSource,
} from "./package-source.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";
import { heredoc, quote } from "./shell.ts";

/**
 * Docker's daemon.json for a kubeadm node: the systemd cgroup driver kubelet uses (Docker's default is cgroupfs),
 * and Docker's default bridge address, which dockerBridgeScript creates first.
 */
export const dockerDaemonJson = JSON.stringify(
  { "exec-opts": ["native.cgroupdriver=systemd"], bip: "172.17.0.1/16" },
  null,
  2,
);

/**
 * Creates docker0 with Docker's default address before Docker starts. A harness node routes every private range
 * onto the private segment; Docker 20.10 looks for a free pool only when docker0 does not exist, and then refuses
 * each of its default pools as overlapping those routes (measured: "list bridge addresses failed", even with bip).
 */
const dockerBridgeScript = `if ! ip link show docker0 > /dev/null 2>&1; then
  ip link add name docker0 type bridge
  ip address add 172.17.0.1/16 dev docker0
  ip link set docker0 up
fi`;

/** Docker for runtime.kind docker and docker-cri-dockerd. */
export const dockerRecipe: Recipe = {
  name: "docker",
  plan({ scenario, machines }) {
    if (scenario.runtime.kind !== "docker" && scenario.runtime.kind !== "docker-cri-dockerd")
      return { steps: [], artifacts: [] };
    const kube = scenario.kubernetes !== "none";
    const source = scenario.runtime.docker.source;
    let install: string;
    let uploads: ArtifactUse[];
    let artifacts: ArtifactPlan[];
    let summary: string;
    if (source.from === "distro") {
      const p = debianPackageInstall({
        image: scenario.image,
        source,
        defaultPackage: dockerDistroPackage,
        purpose: "docker",
      });
      ({ install, uploads, artifacts, summary } = p);
    } else if (source.from === "apt") {
      const { repo, label } = repositoryOf(source);
      const engine = source.package ?? dockerRepositoryPackages.engine;
      const parts =
        engine === dockerRepositoryPackages.engine
          ? [
              aptPackageArtifact(repo, label, engine, source.version, "docker"),
              aptPackageArtifact(repo, label, dockerRepositoryPackages.cli, source.version, "docker"),
              aptPackageArtifact(repo, label, dockerRepositoryPackages.containerd, "*", "docker"),
            ]
          : [aptPackageArtifact(repo, label, engine, source.version, "docker")];
      install = `apt_install ${parts.map((p) => quote(p.path)).join(" ")}`;
      uploads = parts.map((p) => p.upload);
      artifacts = parts.map((p) => p.artifact);
      summary = `${parts.map((p) => (p.artifact.kind === "apt-package" ? `${p.artifact.package}=${p.artifact.version}` : "")).join(", ")} from ${label}`;
    } else {
      throw unsupportedSource(
        "docker",
        source.from,
        "install Docker from the distro (from: distro) or Docker's repository (from: apt, repo: docker-jammy or docker-noble)",
      );
    }
    return {
      steps: [
        scriptStep({
          recipe: "docker",
          name: "docker",
          phase: "install-runtime",
          description: `install Docker Engine: ${summary}; docker0 created first with Docker's default 172.17.0.1/16 (the node routes private ranges to the private segment, which Docker 20.10 takes for overlaps)${kube ? "; /etc/docker/daemon.json sets the systemd cgroup driver kubelet uses (checked with docker info) and that bridge address" : ""}`,
          nodes: machines,
          body: () => `${aptInstallFunction}
${
  kube
    ? `mkdir -p /etc/docker
cat > /etc/docker/daemon.json ${heredoc(dockerDaemonJson, "JSON")}
`
    : ""
}${dockerBridgeScript}
${install}
systemctl enable docker
systemctl restart docker
docker version --format 'harness: docker {{.Server.Version}}'${
            kube
              ? `
driver=$(docker info --format '{{.CgroupDriver}}')
if [ "$driver" != systemd ]; then
  echo "harness: docker's cgroup driver is $driver, not systemd as kubelet's: /etc/docker/daemon.json was not applied" >&2
  exit 1
fi
echo "harness: docker cgroup driver $driver"`
              : ""
          }`,
          timeoutMs: 600_000,
          uploads,
        }),
      ],
      artifacts,
    };
  },
};
