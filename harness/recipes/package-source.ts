// Turns a component's distro or apt source into what installs it: an uploaded, host-verified .deb, or (Ubuntu's
// own packages) apt-get inside the guest.
import { HarnessError, ExitCode } from "../errors.ts";
import { aptRepositories, type AptRepository } from "../artifacts/apt-repositories.ts";
import type { ImageName } from "../images/image-names.ts";
import type { ArtifactPlan, ArtifactUse } from "../plan/plan.ts";
import { localFileHostPath } from "../scenario/local-files.ts";
import type { ComponentSource } from "../scenario/source-schema.ts";
import { artifactDir } from "./recipe-step.ts";
import { quote } from "./shell.ts";

/** How a package gets onto a node: bash lines (using `apt_install`), the uploads they need, the host artifacts. */
export interface PackageInstall {
  install: string;
  uploads: ArtifactUse[];
  artifacts: ArtifactPlan[];
  /** Where the package comes from, for step descriptions. */
  summary: string;
}

/** Debian images map to their own suite's named repository; Ubuntu images install from the guest's apt. */
const debianSuiteOfImage: Partial<Record<ImageName, keyof typeof aptRepositories>> = {
  "debian-11": "debian-bullseye",
  "debian-12": "debian-bookworm",
  "debian-13": "debian-trixie",
};

/** One .deb fetched on the host from a repository and uploaded under `artifactDir/<purpose>/`. */
export function aptPackageArtifact(
  repo: AptRepository,
  repoLabel: string,
  pkg: string,
  version: string,
  purpose: string,
): { artifact: ArtifactPlan; upload: ArtifactUse; path: string } {
  const path = `${artifactDir}/${purpose}/${pkg}.deb`;
  const key = `deb:${repoLabel}:${pkg}=${version}`;
  return {
    artifact: { kind: "apt-package", key, repo: { ...repo }, package: pkg, version, arch: "amd64" },
    upload: { artifact: key, to: path },
    path,
  };
}

/** The repository a source names, with a label for keys and descriptions. */
export function repositoryOf(source: Extract<ComponentSource, { from: "apt" }>): {
  repo: AptRepository;
  label: string;
} {
  if (typeof source.repo === "string") return { repo: aptRepositories[source.repo], label: source.repo };
  return { repo: source.repo, label: `${source.repo.url} ${source.repo.suite}` };
}

/** Installs one Debian package of a component from a distro or apt source. */
export function debianPackageInstall(options: {
  image: ImageName;
  source: Extract<ComponentSource, { from: "distro" | "apt" }>;
  defaultPackage: string;
  purpose: string;
}): PackageInstall {
  const { image, source, purpose } = options;
  const pkg = source.package ?? options.defaultPackage;
  if (source.from === "apt") {
    const { repo, label } = repositoryOf(source);
    const a = aptPackageArtifact(repo, label, pkg, source.version, purpose);
    return {
      install: `apt_install ${quote(a.path)}`,
      uploads: [a.upload],
      artifacts: [a.artifact],
      summary: `${pkg} ${source.version} from ${label}`,
    };
  }
  const suite = debianSuiteOfImage[image];
  if (suite !== undefined) {
    const a = aptPackageArtifact(aptRepositories[suite], suite, pkg, source.version ?? "*", purpose);
    return {
      install: `apt_install ${quote(a.path)}`,
      uploads: [a.upload],
      artifacts: [a.artifact],
      summary: `${pkg} ${source.version ?? "(newest)"} from ${suite}, the image's own suite`,
    };
  }
  const spec = source.version === undefined ? pkg : `${pkg}=${source.version}`;
  return {
    install: `apt_install ${quote(spec)}`,
    uploads: [],
    artifacts: [],
    summary: `${spec} from ${image}'s own apt repositories`,
  };
}

/** The error for a source a component cannot be installed from. */
export function unsupportedSource(component: string, from: string, hint: string): HarnessError {
  return new HarnessError("RECIPE_UNSUPPORTED_SOURCE", `${component} cannot be installed from: ${from}`, {
    hint,
    exitCode: ExitCode.usage,
  });
}

/** A local file pinned by its sha256, uploaded to `artifactDir/<purpose>/<name>`. */
export function localFileArtifact(
  scenarioFile: string,
  source: { path: string; sha256: string },
  purpose: string,
  name: string,
): { artifact: ArtifactPlan; upload: ArtifactUse; path: string } {
  const hostPath = localFileHostPath(scenarioFile, source.path);
  const key = `file:${hostPath}`;
  const path = `${artifactDir}/${purpose}/${name}`;
  return {
    artifact: { kind: "local-file", key, path: hostPath, sha256: source.sha256 },
    upload: { artifact: key, to: path },
    path,
  };
}
