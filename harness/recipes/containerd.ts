// Recipe: installs containerd from the distro, an apt repository, an upstream release tarball or a local file.
import type { ArtifactPlan, ArtifactUse } from "../plan/plan.ts";
import type { ComponentSource } from "../scenario/source-schema.ts";
import { containerdPackage, containerdRelease, containerdReleaseUnit } from "./data/containerd.ts";
import { aptInstallFunction } from "./apt-install.ts";
import { debianPackageInstall, localFileArtifact, unsupportedSource } from "./package-source.ts";
import type { Recipe } from "./recipe.ts";
import { artifactDir, scriptStep } from "./recipe-step.ts";
import { heredoc, quote } from "./shell.ts";

function tarballInstall(tarball: string): string {
  return `tar -C /usr/local -xzf ${quote(tarball)}
mkdir -p /etc/systemd/system
cat > /etc/systemd/system/containerd.service ${heredoc(containerdReleaseUnit, "UNIT")}
systemctl daemon-reload
systemctl enable --now containerd`;
}

function install(
  source: ComponentSource,
  image: Parameters<typeof debianPackageInstall>[0]["image"],
  scenarioFile: string,
): { body: string; uploads: ArtifactUse[]; artifacts: ArtifactPlan[]; summary: string } {
  switch (source.from) {
    case "distro":
    case "apt": {
      const p = debianPackageInstall({
        image,
        source,
        defaultPackage: containerdPackage,
        purpose: "containerd",
      });
      return {
        body: `${aptInstallFunction}\n${p.install}\nsystemctl enable --now containerd`,
        uploads: p.uploads,
        artifacts: p.artifacts,
        summary: p.summary,
      };
    }
    case "release": {
      const release = containerdRelease(source.version);
      const key = `url:${release.url}`;
      const path = `${artifactDir}/containerd/${release.fileName}`;
      return {
        body: tarballInstall(path),
        uploads: [{ artifact: key, to: path }],
        artifacts: [{ kind: "url", key, url: release.url, checksum: { url: release.checksumUrl } }],
        summary: `containerd ${source.version} release tarball under /usr/local (checked against its .sha256sum), containerd.service written by the harness`,
      };
    }
    case "file": {
      const isDeb = source.path.endsWith(".deb");
      if (!isDeb && !/\.(tar\.gz|tgz)$/.test(source.path))
        throw unsupportedSource(
          "containerd",
          `file ${source.path}`,
          "give a .deb package or a release-style .tar.gz (bin/containerd, bin/ctr, ...)",
        );
      const a = localFileArtifact(
        scenarioFile,
        source,
        "containerd",
        isDeb ? "containerd.deb" : "containerd.tar.gz",
      );
      return {
        body: isDeb
          ? `${aptInstallFunction}\napt_install ${quote(a.path)}\nsystemctl enable --now containerd`
          : tarballInstall(a.path),
        uploads: [a.upload],
        artifacts: [a.artifact],
        summary: `containerd from the local file ${source.path}`,
      };
    }
  }
}

/** containerd: for runtime.kind containerd always; for docker + cri-dockerd only when runtime.containerd is given. */
export const containerdRecipe: Recipe = {
  name: "containerd",
  plan({ scenario, machines, cell }) {
    const spec = scenario.runtime.containerd;
    if (spec === undefined) return { steps: [], artifacts: [] };
    const i = install(spec.source, scenario.image, cell.file);
    return {
      steps: [
        scriptStep({
          recipe: "containerd",
          name: "containerd",
          phase: "install-runtime",
          description: `install ${i.summary}`,
          nodes: machines,
          body: () => `${i.body}\ncontainerd --version`,
          timeoutMs: 300_000,
          uploads: i.uploads,
        }),
      ],
      artifacts: i.artifacts,
    };
  },
};
