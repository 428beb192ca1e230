// Where a runc binary comes from (release, local file, a .deb) and the bash that installs it at a path.
import type { ArtifactPlan, ArtifactUse } from "../plan/plan.ts";
import { runcBuildRecipes } from "../builds/runc-build-recipe.ts";
import type { RuncSource } from "../scenario/source-schema.ts";
import { runcPackage, runcRelease } from "./data/runc.ts";
import { aptPackageArtifact, localFileArtifact, repositoryOf } from "./package-source.ts";
import { artifactDir } from "./recipe-step.ts";
import { quote } from "./shell.ts";

/** A runc binary to place at a path: the bash that does it, its uploads and artifacts. */
export interface RuncBinaryInstall {
  install: string;
  uploads: ArtifactUse[];
  artifacts: ArtifactPlan[];
  summary: string;
}

/** Installs a runc binary at `target` from a release, a local file, a host build or (unpacked, not installed) an apt .deb. */
export function runcBinaryInstall(
  source: Extract<RuncSource, { from: "release" | "file" | "apt" | "build" }>,
  target: string,
  purpose: string,
  scenarioFile: string,
): RuncBinaryInstall {
  const check = `${quote(target)} --version`;
  if (source.from === "release") {
    const release = runcRelease(source.version);
    const key = `url:${release.url}`;
    const path = `${artifactDir}/${purpose}/runc.amd64`;
    return {
      install: `install -m 0755 ${quote(path)} ${quote(target)}\n${check}`,
      uploads: [{ artifact: key, to: path }],
      artifacts: [{ kind: "url", key, url: release.url, checksum: { url: release.checksumUrl } }],
      summary: `runc ${source.version} release binary (checked against runc.sha256sum)`,
    };
  }
  if (source.from === "build") {
    const recipe = runcBuildRecipes[source.build];
    const key = `host-build:${source.build}`;
    const path = `${artifactDir}/${purpose}/${source.build}`;
    return {
      install: `install -m 0755 ${quote(path)} ${quote(target)}\n${check}`,
      uploads: [{ artifact: key, to: path }],
      artifacts: [{ kind: "host-build", key, build: source.build, summary: recipe.summary }],
      summary: `${recipe.summary}, built on the host (${source.build})`,
    };
  }
  if (source.from === "file") {
    const a = localFileArtifact(scenarioFile, source, purpose, "runc");
    return {
      install: `install -m 0755 ${quote(a.path)} ${quote(target)}\n${check}`,
      uploads: [a.upload],
      artifacts: [a.artifact],
      summary: `runc from the local file ${source.path}`,
    };
  }
  const { repo, label } = repositoryOf(source);
  const a = aptPackageArtifact(repo, label, source.package ?? runcPackage, source.version, purpose);
  const unpacked = `${artifactDir}/${purpose}/unpacked`;
  return {
    install: `rm -rf ${quote(unpacked)}
dpkg-deb -x ${quote(a.path)} ${quote(unpacked)}
install -m 0755 ${quote(`${unpacked}/usr/sbin/runc`)} ${quote(target)}
${check}`,
    uploads: [a.upload],
    artifacts: [a.artifact],
    summary: `runc binary unpacked from ${source.package ?? runcPackage} ${source.version} (${label})`,
  };
}
