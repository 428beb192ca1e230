// runtime.kind docker: Docker Engine alone, with kubelet 1.20's built-in dockershim as the CRI.
import { describe, expect, it } from "vitest";
import type { StepPlan } from "../plan/plan.ts";
import { planCell } from "../plan/planner.ts";
import type { ScenarioInput } from "../scenario/schema.ts";
import { defaultRecipes } from "./index.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

const dockershim = (overrides: Partial<ScenarioInput> = {}): ScenarioInput =>
  kubeScenario({
    image: "debian-11",
    nodes: [{ name: "cp1", role: "control-plane" }],
    kubernetes: { version: "1.20.2" },
    runtime: { kind: "docker", docker: { source: { from: "distro" } } },
    cni: { plugin: "bridge" },
    ...overrides,
  });

function scriptOf(input: ScenarioInput, id: string): string {
  const plan = planCell(recipeContext(input).cell, defaultRecipes);
  const step: StepPlan | undefined = plan.phases.flatMap((p) => p.steps).find((s) => s.id === id);
  if (step?.kind !== "script") throw new Error(`no script step ${id}`);
  return step.runs[0]?.script ?? "";
}

describe("runtime.kind docker (the kubelet's dockershim)", () => {
  it("names the dockershim socket exactly as kubeadm 1.20 recognizes Docker, and gives crictl its unix:// form", () => {
    const init = scriptOf(dockershim(), "bootstrap/kubeadm-init");
    expect(init).toContain("criSocket: /var/run/dockershim.sock");
    expect(init).toContain('docker image inspect "$image"');
    expect(init).not.toContain("crictl inspecti");
    const node = scriptOf(dockershim(), "install-runtime/kubernetes-node");
    expect(node).toContain(
      "unix:///var/run/dockershim.sock unix:///var/run/dockershim.sock > /etc/crictl.yaml",
    );
    expect(node).toContain('docker load -i "$tar"');
  });

  it("installs Docker with the systemd cgroup driver kubelet uses, and checks it", () => {
    const docker = scriptOf(dockershim(), "install-runtime/docker");
    expect(docker).toContain('"native.cgroupdriver=systemd"');
    expect(docker.indexOf("/etc/docker/daemon.json")).toBeLessThan(
      docker.search(/apt_install \S*docker\.io/),
    );
    expect(docker).toContain("docker info --format '{{.CgroupDriver}}'");
  });

  it("fault dockershim-no-cni appends an empty --network-plugin= after kubeadm's flags", () => {
    const fault = scriptOf(
      dockershim({ faults: [{ kind: "dockershim-no-cni" }] }),
      "configure/fault-dockershim-no-cni",
    );
    expect(fault).toContain("sed -i 's/^KUBELET_EXTRA_ARGS=.*/& --network-plugin=/' /etc/default/kubelet");
  });

  it("puts docker.io's dependencies into the image: a node of a release built here has no mirror", () => {
    const [machine] = recipeContext(dockershim()).machines;
    expect(machine?.imagePackages).toEqual(
      expect.arrayContaining(["containerd", "runc", "tini", "libdevmapper1.02.1", "iptables"]),
    );
    const [plain] = recipeContext(
      dockershim({ runtime: { kind: "containerd", containerd: { source: { from: "distro" } } } }),
    ).machines;
    expect(plain?.imagePackages).not.toContain("tini");
  });

  it("plans no containerd configuration: Docker runs its own containerd", () => {
    const plan = planCell(recipeContext(dockershim()).cell, defaultRecipes);
    const ids = plan.phases.flatMap((p) => p.steps).map((s) => s.id);
    expect(ids).not.toContain("configure/containerd-config");
    expect(ids).toContain("install-runtime/docker");
  });
});
