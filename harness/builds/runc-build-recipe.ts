// What each runc build is made of: the Debian source tree it builds, the suite whose Go and Go libraries build it,
// and the patch (if any) reverse-applied first.
import { aptRepositories } from "../artifacts/apt-repositories.ts";
import type { PinnedInput } from "./kubernetes-recipe.ts";
import type { RuncBuildName } from "./runc-build-names.ts";

/** A runc build recipe. */
export interface RuncBuildRecipe {
  name: RuncBuildName;
  /** Stamped into `runc --version` (main.version). */
  version: string;
  /** Stamped as main.gitCommit: says which tree was built, so `runc --version` on a node names the build. */
  commit: string;
  /** The Debian suite of the build root (its Go toolchain and Go dependency packages). */
  repository: (typeof aptRepositories)[keyof typeof aptRepositories];
  /** golang-github-opencontainers-runc-dev: the Go source tree with Debian's patches applied. */
  sourceTree: PinnedInput;
  /** A patch of the source package's debian.tar.xz to reverse-apply to the tree. */
  reversePatch: { tarball: PinnedInput; path: string } | null;
  /**
   * Whether the binary reads the seccomp export pipe while writing it (runc PR #2871, in rc94 and in Debian's patch
   * 0010): its error string `reading from ExportBPF pipe` is in the binary exactly when it does. The build checks it.
   */
  readsSeccompPipe: boolean;
  /** One line for plans and reports. */
  summary: string;
}

const bullseye = aptRepositories["debian-bullseye"];
const bookworm = aptRepositories["debian-bookworm"];

const rc93Tree: PinnedInput = {
  plan: {
    kind: "apt-package",
    key: "golang-github-opencontainers-runc-dev-1.0.0-rc93",
    repo: { ...bullseye },
    package: "golang-github-opencontainers-runc-dev",
    version: "1.0.0~rc93+ds1-5+deb11u5",
    arch: "all",
  },
  sha256: "da77ae447505150f5f2a88f42104cfdfa8d1ff54968f80234c3d28847ddaa249",
};

/** Debian's patch that backports runc PR #2871 (the seccomp pipe is read while the filter is exported). */
export const seccompPipePatch =
  "debian/patches/0010-Ensure-the-seccomp-pipe-is-being-read-while-exportin.patch";

/** The recipes, by name. */
export const runcBuildRecipes: Record<RuncBuildName, RuncBuildRecipe> = {
  "runc-rc93-unpatched": {
    name: "runc-rc93-unpatched",
    version: "1.0.0-rc93",
    commit: "debian-1.0.0~rc93+ds1-5+deb11u5-without-0010",
    repository: bullseye,
    sourceTree: rc93Tree,
    reversePatch: {
      tarball: {
        plan: {
          kind: "apt-source",
          key: "runc-debian-tarball-1.0.0-rc93",
          repo: { ...bullseye },
          package: "runc",
          version: "1.0.0~rc93+ds1-5+deb11u5",
          fileSuffix: ".debian.tar.xz",
        },
        sha256: "71135504d60239225112f90614e6facfa374574c39d47be1d9c1af193a757615",
      },
      path: seccompPipePatch,
    },
    readsSeccompPipe: false,
    summary:
      "runc 1.0.0-rc93 as upstream released it in the seccomp pipe code: bullseye's rc93 tree (1.0.0~rc93+ds1-5+deb11u5) with Debian's patch 0010 (the PR #2871 backport) reverse-applied",
  },
  "runc-rc93-debian": {
    name: "runc-rc93-debian",
    version: "1.0.0-rc93",
    commit: "debian-1.0.0~rc93+ds1-5+deb11u5",
    repository: bullseye,
    sourceTree: rc93Tree,
    reversePatch: null,
    readsSeccompPipe: true,
    summary:
      "runc 1.0.0-rc93 as Debian bullseye ships it (1.0.0~rc93+ds1-5+deb11u5, with patch 0010: the PR #2871 backport)",
  },
  "runc-1.1.5-debian": {
    name: "runc-1.1.5-debian",
    version: "1.1.5",
    commit: "debian-1.1.5+ds1-1+deb12u1",
    repository: bookworm,
    sourceTree: {
      plan: {
        kind: "apt-package",
        key: "golang-github-opencontainers-runc-dev-1.1.5",
        repo: { ...bookworm },
        package: "golang-github-opencontainers-runc-dev",
        version: "1.1.5+ds1-1+deb12u1",
        arch: "all",
      },
      sha256: "8ca85b28972ff2c27e2511023a40041a6eda12611d28c534e5e713644995dd97",
    },
    reversePatch: null,
    readsSeccompPipe: true,
    summary: "runc 1.1.5 as Debian bookworm ships it (1.1.5+ds1-1+deb12u1), built with bookworm's Go 1.19",
  },
};
