// The plan: everything a run will do, computed up front by pure functions and printed by `harness plan`.
import type { RuncBuildName } from "../builds/runc-build-names.ts";
import type { ImageName } from "../images/image-names.ts";
import type { CheckSpec } from "../scenario/check-schema.ts";
import type { ProbeSpec } from "../scenario/probe-schema.ts";
import type { PhaseName } from "./phases.ts";

/** A machine the provider must create. */
export interface MachinePlan {
  name: string;
  role: "control-plane" | "worker" | "standalone";
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  image: ImageName;
  /** Debian packages added to the image's build (part of its recipe hash); empty for most scenarios. */
  imagePackages: string[];
  /** A host-built payload the image carries (Kubernetes binaries and container images), or null. */
  imagePayload: "kubernetes-v1.20.2" | null;
  /**
   * What the guest may reach through its outbound NIC besides the host's SSH forward: `none` (QEMU's user-mode
   * NIC with restrict=on: nothing leaves the host) or `debian-mirror` (package installs may fetch from it).
   */
  outbound: "none" | "debian-mirror";
  /** Kernel arguments added to (or replacing, by key) the image's own; only for images booted with their kernel. */
  kernelArgs: string[];
  /** Address on the run's private segment (guest-to-guest traffic never leaves it). */
  privateIp: string;
}

/** A script to run on one node. */
export interface NodeScript {
  node: string;
  /** The exact bash script, starting with `set -euo pipefail`. */
  script: string;
}

/** A host-side artifact a step needs on the node before it runs (fetched once, checksum-verified, uploaded). */
export interface ArtifactUse {
  /** Key of the artifact in the plan's `artifacts`. */
  artifact: string;
  /** Absolute path on the node. */
  to: string;
  mode?: number;
}

/** How a step is retried. `infra` retries count as infrastructure (boot, SSH, downloads). */
export interface RetryPolicy {
  retries: number;
  delayMs: number;
  kind: "step" | "infra";
}

/** What the step's outcome must be: success, failure (`expectFailure`), or either (failure is evidence). */
export type StepExpectation = "success" | "failure" | "any";

/** One step: runs on one or more nodes in parallel. */
export type StepPlan = {
  /** Unique in the plan: `<phase>/<name>`. */
  id: string;
  name: string;
  phase: PhaseName;
  /** Where the step comes from: `recipe:<name>`, `scenario:steps[i]`, `harness`. */
  origin: string;
  description: string;
  timeoutMs: number;
  retry: RetryPolicy;
  expect: StepExpectation;
} & (
  | { kind: "script"; runs: NodeScript[]; uploads: ArtifactUse[] }
  | { kind: "create-machines"; machines: string[] }
  | { kind: "destroy-machines"; machines: string[] }
  | { kind: "observe" }
  | { kind: "collect-logs"; runs: { node: string; files: { name: string; command: string }[] }[] }
);

/** One phase with its steps, in order. */
export interface PhasePlan {
  name: PhaseName;
  steps: StepPlan[];
}

/** A pinned artifact the host fetches into its cache before any step runs. */
export type ArtifactPlan =
  | {
      kind: "apt-package";
      key: string;
      repo: { url: string; suite: string; component: string; key: string };
      package: string;
      /** Exact version, or a prefix ending in `*`. */
      version: string;
      arch: string;
    }
  | {
      kind: "url";
      key: string;
      url: string;
      /**
       * URL of a checksum file listing the artifact, or a literal sha256; `unpinned` when the project publishes
       * no checksum: the fetch takes the sha256 artifacts.lock.json pins (`harness artifacts pin`), or refuses it.
       * `field` is the scenario field that brought the artifact in, for validate's message.
       */
      checksum: { url: string } | { sha256: string } | { unpinned: string; field: (string | number)[] };
    }
  | {
      kind: "apt-source";
      key: string;
      repo: { url: string; suite: string; component: string; key: string };
      /** Source package name. */
      package: string;
      /** Exact version, or a prefix ending in `*`. */
      version: string;
      /** Which file of the source package: the end of its name, e.g. `.orig.tar.gz`. */
      fileSuffix: string;
    }
  | { kind: "local-file"; key: string; path: string; sha256: string }
  | {
      /** A runc the host builds from Debian's archive (harness/builds/runc-build-recipe.ts), checked as it is built. */
      kind: "host-build";
      key: string;
      build: RuncBuildName;
      summary: string;
    };

/** A probe with the command that samples it on one node. */
export interface ProbePlan {
  name: string;
  kind: ProbeSpec["kind"];
  node: string;
  /** Shell command whose output the probe's parser reads; null for probes fed by the runner (step results). */
  command: string | null;
  timeoutMs: number;
  spec: ProbeSpec;
}

/** The whole plan of one matrix cell. */
export interface Plan {
  planVersion: 1;
  scenario: string;
  cellId: string;
  labels: Record<string, string>;
  file: string;
  description: string;
  links: string[];
  tags: string[];
  image: ImageName;
  kubernetes: { version: string; serviceSubnet: string; podSubnet: string } | null;
  runtime: string;
  network: { privateSubnet: string };
  machines: MachinePlan[];
  artifacts: ArtifactPlan[];
  phases: PhasePlan[];
  probes: ProbePlan[];
  checks: CheckSpec[];
  observe: { durationMs: number; intervalMs: number; stopWhenSettled: boolean };
  expect: "reproduced" | "healthy";
}
