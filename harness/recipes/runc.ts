// Recipe: installs runc from the distro, an apt repository, an upstream release or a local file.
import type { Scenario } from "../scenario/schema.ts";
import type { RuncSource } from "../scenario/source-schema.ts";
import { distroRuncPath, localRuncPath, runcPackage } from "./data/runc.ts";
import { aptInstallFunction } from "./apt-install.ts";
import { debianPackageInstall, unsupportedSource } from "./package-source.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";
import { runcBinaryInstall } from "./runc-binary.ts";

/** The runc source in effect: the scenario's, or the distro's when containerd comes without a package manager. */
export function effectiveRuncSource(scenario: Scenario): RuncSource | undefined {
  const runtime = scenario.runtime;
  if (runtime.runc !== undefined) return runtime.runc.source;
  const containerd = runtime.containerd;
  if (containerd !== undefined && (containerd.source.from === "release" || containerd.source.from === "file"))
    return { from: "distro" };
  return undefined;
}

/** The runc binary containerd must run: a path when it is not the distro's default, else null (BinaryName stays empty). */
export function runcBinaryPath(scenario: Scenario): string | null {
  const source = effectiveRuncSource(scenario);
  if (source === undefined || source.from === "distro" || source.from === "apt") return null;
  return localRuncPath;
}

/** runc: distro/apt packages put it at /usr/sbin/runc; release and local binaries go to /usr/local/sbin/runc. */
export const runcRecipe: Recipe = {
  name: "runc",
  plan({ scenario, machines, cell }) {
    const source = effectiveRuncSource(scenario);
    if (source === undefined) return { steps: [], artifacts: [] };
    if (scenario.runtime.kind !== "containerd" && source.from !== "distro" && source.from !== "apt")
      throw unsupportedSource(
        `runc for ${scenario.runtime.kind}`,
        source.from,
        "Docker picks its runc from PATH/daemon.json, which the harness does not configure; use runtime.kind containerd to run a release or local runc",
      );
    const install =
      source.from === "distro" || source.from === "apt"
        ? debianPackageInstall({
            image: scenario.image,
            source,
            defaultPackage: runcPackage,
            purpose: "runc",
          })
        : runcBinaryInstall(source, localRuncPath, "runc", cell.file);
    const body =
      source.from === "distro" || source.from === "apt"
        ? `${aptInstallFunction}\n${install.install}\n${distroRuncPath} --version`
        : install.install;
    return {
      steps: [
        scriptStep({
          recipe: "runc",
          name: "runc",
          phase: "install-runtime",
          description: `install ${install.summary}`,
          nodes: machines,
          body: () => body,
          timeoutMs: 300_000,
          uploads: install.uploads,
        }),
      ],
      artifacts: install.artifacts,
    };
  },
};
