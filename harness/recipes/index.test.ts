import { describe, expect, it } from "vitest";
import type { ScenarioInput } from "../scenario/schema.ts";
import { defaultRecipes } from "./index.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

function stepIds(input: ScenarioInput): string[] {
  const ctx = recipeContext(input);
  return defaultRecipes.flatMap((r) => r.plan(ctx).steps.map((s) => s.id));
}

const runtimeOnly: ScenarioInput = {
  name: "t",
  description: "t",
  image: "debian-13",
  nodes: [{ name: "node1", role: "standalone" }],
  runtime: { kind: "containerd", containerd: { source: { from: "distro" } } },
  observe: { probes: [{ name: "p", kind: "sysctl", key: "kernel.ostype" }] },
  expect: { verdict: "healthy", checks: [{ probe: "p" }] },
};

describe("defaultRecipes", () => {
  it.each<{ name: string; input: ScenarioInput; steps: string[] }>([
    {
      name: "runtime-only containerd: no Kubernetes prerequisites, no config edits",
      input: runtimeOnly,
      steps: ["install-runtime/containerd"],
    },
    {
      name: "kubeadm on containerd with flannel and a worker",
      input: kubeScenario(),
      steps: [
        "prepare-os/kubernetes-prerequisites",
        "install-runtime/containerd",
        "install-runtime/kubernetes-packages",
        "configure/containerd-config",
        "bootstrap/kubeadm-init",
        "cni/flannel",
        "join/kubeadm-join",
        "workload/smoke",
      ],
    },
    {
      name: "single control plane without CNI: no join, no smoke workload",
      input: kubeScenario({ nodes: [{ name: "cp1", role: "control-plane" }], cni: { plugin: "none" } }),
      steps: [
        "prepare-os/kubernetes-prerequisites",
        "install-runtime/containerd",
        "install-runtime/kubernetes-packages",
        "configure/containerd-config",
        "bootstrap/kubeadm-init",
      ],
    },
    {
      name: "docker + cri-dockerd: containerd is Docker's business",
      input: kubeScenario({
        runtime: {
          kind: "docker-cri-dockerd",
          docker: { source: { from: "apt", repo: "docker-jammy", version: "5:27.3.1-1~ubuntu.22.04~jammy" } },
          criDockerd: { source: { from: "release", version: "0.3.15" } },
        },
      }),
      steps: [
        "prepare-os/kubernetes-prerequisites",
        "install-runtime/docker",
        "install-runtime/cri-dockerd",
        "install-runtime/kubernetes-packages",
        "bootstrap/kubeadm-init",
        "cni/flannel",
        "join/kubeadm-join",
        "workload/smoke",
      ],
    },
    {
      name: "containerd from a release tarball brings the distro's runc",
      input: {
        ...runtimeOnly,
        runtime: { kind: "containerd", containerd: { source: { from: "release", version: "1.7.22" } } },
      },
      steps: ["install-runtime/runc", "install-runtime/containerd"],
    },
  ])("$name", ({ input, steps }) => {
    expect(stepIds(input)).toEqual(steps);
  });

  it.each<{ name: string; input: ScenarioInput; message: RegExp }>([
    {
      name: "cri-dockerd from the distro (no distro packages it)",
      input: kubeScenario({
        runtime: {
          kind: "docker-cri-dockerd",
          docker: { source: { from: "distro" } },
          criDockerd: { source: { from: "distro" } },
        },
      }),
      message: /cri-dockerd cannot be installed from: distro/,
    },
    {
      name: "docker from a release",
      input: kubeScenario({
        runtime: {
          kind: "docker-cri-dockerd",
          docker: { source: { from: "release", version: "27.3.1" } },
          criDockerd: { source: { from: "release", version: "0.3.15" } },
        },
      }),
      message: /docker cannot be installed from: release/,
    },
    {
      name: "containerd from a file that is neither .deb nor tarball",
      input: {
        ...runtimeOnly,
        runtime: {
          kind: "containerd",
          containerd: { source: { from: "file", path: "containerd.zip", sha256: "0".repeat(64) } },
        },
      },
      message: /containerd cannot be installed from: file containerd\.zip/,
    },
  ])("refuses $name with a hint", ({ input, message }) => {
    expect(() => stepIds(input)).toThrow(message);
  });
});
