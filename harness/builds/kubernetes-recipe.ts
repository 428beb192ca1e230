// What a Kubernetes build from Debian's archive is made of: the pinned source, the pinned toolchain, the stamps.
import { aptRepositories } from "../artifacts/apt-repositories.ts";
import type { ArtifactPlan } from "../plan/plan.ts";

/** One pinned input: the artifact plan that fetches it and the sha256 it must have. */
export interface PinnedInput {
  plan: ArtifactPlan;
  sha256: string;
}

/** A Kubernetes release the harness builds from Debian's source package. */
export interface KubernetesBuildRecipe {
  /** `v1.20.2`, stamped into every binary (kubeadm version reports it). */
  version: string;
  gitCommit: string;
  /** buildDate stamped into the binaries: fixed, so that a rebuild gives the same bytes. */
  buildDate: string;
  /** The upstream source tarball with vendor/ (Debian's orig tarball, Debian's patches not applied). */
  source: PinnedInput;
  /** The Go toolchain's .debs, extracted side by side (GOROOT `usr/lib/go-<v>`). */
  toolchain: PinnedInput[];
  goroot: string;
}

const bookworm = aptRepositories["debian-bookworm"];
const bullseye = aptRepositories["debian-bullseye"];

/**
 * Kubernetes v1.20.2: Debian bookworm's `kubernetes` 1.20.5+really1.20.2 source is upstream v1.20.2 (commit faecb19)
 * with vendor/; Debian's own patches (packaging and backported fixes) are not applied, so the binaries behave as
 * upstream's. Built with bullseye's Go 1.15 (bookworm's 1.19 builds binaries that crash: vendored reflect2 v1.0.1).
 */
export const kubernetes1202: KubernetesBuildRecipe = {
  version: "v1.20.2",
  gitCommit: "faecb196815e248d3ecfb03c680a4507229c2a56",
  buildDate: "2021-01-13T13:20:00Z",
  source: {
    plan: {
      kind: "apt-source",
      key: "kubernetes-source-1.20.2",
      repo: { ...bookworm },
      package: "kubernetes",
      version: "1.20.5+really1.20.2-*",
      fileSuffix: "+really1.20.2.orig.tar.gz",
    },
    sha256: "b83c0780efb182d928dc63d46488a847f161f04e40a94b96bf5247dd671ecdfc",
  },
  toolchain: [
    {
      plan: {
        kind: "apt-package",
        key: "golang-1.15-go",
        repo: { ...bullseye },
        package: "golang-1.15-go",
        version: "1.15.15-1~deb11u4",
        arch: "amd64",
      },
      sha256: "33f6680406698b60370322aa5710be199006b3d66fbb0974b44da012de3aa82a",
    },
    {
      plan: {
        kind: "apt-package",
        key: "golang-1.15-src",
        repo: { ...bullseye },
        package: "golang-1.15-src",
        version: "1.15.15-1~deb11u4",
        arch: "amd64",
      },
      sha256: "e580f570f706d801191f9a17e55156736fc5979a6a878bab9304ca007ae29941",
    },
  ],
  goroot: "usr/lib/go-1.15",
};

/** The binaries a build produces, in build/bin/. */
export const kubernetesBinaries = [
  "kubeadm",
  "kubelet",
  "kubectl",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kube-proxy",
  "crictl",
  "pause",
] as const;

/** One binary of a build. */
export type KubernetesBinary = (typeof kubernetesBinaries)[number];
