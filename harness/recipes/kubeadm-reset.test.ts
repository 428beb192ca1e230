import { describe, expect, it } from "vitest";
import { kubeadmResetStep } from "./kubeadm-reset.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

describe("kubeadmResetStep", () => {
  it.each([
    { runtime: kubeScenario().runtime, socket: "unix:///run/containerd/containerd.sock" },
    {
      runtime: {
        kind: "docker-cri-dockerd" as const,
        docker: { source: { from: "distro" as const } },
        criDockerd: { source: { from: "release" as const, version: "0.3.15" } },
      },
      socket: "unix:///var/run/cri-dockerd.sock",
    },
  ])("names the runtime's socket ($socket) on every node", ({ runtime, socket }) => {
    const ctx = recipeContext(kubeScenario({ runtime }));
    const step = kubeadmResetStep(ctx.scenario, ctx.machines);
    expect(step.kind === "script" && step.runs.map((r) => r.node)).toEqual(["cp1", "worker1"]);
    expect(step.kind === "script" && step.runs[0]?.script).toContain(
      `kubeadm reset -f --cri-socket ${socket}`,
    );
  });
});
