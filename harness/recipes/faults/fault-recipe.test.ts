import { describe, expect, it } from "vitest";
import { planCell } from "../../plan/planner.ts";
import type { StepPlan } from "../../plan/plan.ts";
import type { ScenarioInput } from "../../scenario/schema.ts";
import { defaultRecipes } from "../index.ts";
import { kubeScenario, recipeContext } from "../testing/scenario-context.ts";
import { faultRecipe } from "./fault-recipe.ts";

function plan(input: ScenarioInput) {
  return planCell(recipeContext(input).cell, defaultRecipes);
}

function step(p: ReturnType<typeof plan>, id: string): StepPlan | undefined {
  return p.phases.flatMap((ph) => ph.steps).find((s) => s.id === id);
}

describe("faultRecipe", () => {
  it.each([
    {
      fault: { kind: "cgroupfs-driver" },
      id: "configure/fault-cgroupfs-driver",
      text: "SystemdCgroup false",
    },
    {
      fault: { kind: "containerd-cri-disabled" },
      id: "configure/fault-containerd-cri-disabled",
      text: 'disabled_plugins = ["cri"]',
    },
    { fault: { kind: "swap-on", size: "512M" }, id: "configure/fault-swap-on", text: "count=512" },
    {
      fault: { kind: "pipe-user-pages-soft", value: 1 },
      id: "configure/fault-pipe-user-pages-soft",
      text: "sysctl -w fs.pipe-user-pages-soft=1",
    },
    {
      fault: { kind: "runc-override", source: { from: "release", version: "1.0.0-rc93" } },
      id: "configure/fault-runc-override",
      text: `BinaryName '"/usr/local/sbin/runc-override"'`,
    },
    {
      fault: { kind: "sysctl", key: "net.ipv4.ip_local_port_range", value: "40000 40100" },
      id: "configure/fault-sysctl",
      text: "sysctl -w 'net.ipv4.ip_local_port_range=40000 40100'",
    },
    {
      fault: { kind: "apparmor-profile", action: "remove", profile: "cri-containerd.apparmor.d" },
      id: "configure/fault-apparmor-profile",
      text: "/sys/kernel/security/apparmor/.remove",
    },
  ] as const)("$fault.kind renders $id after the containerd config step", ({ fault, id, text }) => {
    const p = plan(kubeScenario({ faults: [fault] }));
    const configure = p.phases.find((ph) => ph.name === "configure")?.steps.map((s) => s.id) ?? [];
    expect(configure.indexOf(id)).toBeGreaterThan(configure.indexOf("configure/containerd-config"));
    const s = step(p, id);
    expect(s?.kind === "script" && s.runs[0]?.script).toContain(text);
    expect(s?.description).toMatch(new RegExp(`^fault ${fault.kind}: `));
  });

  it("runs a fault only on the nodes it names, and numbers repeated kinds", () => {
    const ctx = recipeContext(
      kubeScenario({
        faults: [
          { kind: "pipe-user-pages-soft", value: 1, nodes: ["worker1"] },
          { kind: "pipe-user-pages-soft", value: 2 },
        ],
      }),
    );
    const steps = faultRecipe.plan(ctx).steps;
    expect(steps.map((s) => [s.id, s.kind === "script" ? s.runs.map((r) => r.node) : []])).toEqual([
      ["configure/fault-pipe-user-pages-soft-prepare", ["worker1"]],
      ["configure/fault-pipe-user-pages-soft", ["worker1"]],
      ["configure/fault-pipe-user-pages-soft-2-prepare", ["cp1", "worker1"]],
      ["configure/fault-pipe-user-pages-soft-2", ["cp1", "worker1"]],
    ]);
  });

  it("injects a fault in a later phase into the running cluster, with its preparation still in configure", () => {
    const p = plan(
      kubeScenario({
        faults: [{ kind: "pipe-user-pages-soft", value: 1, phase: "observe" }],
        steps: [{ name: "exec-after-fault", phase: "observe", run: "true" }],
      }),
    );
    const ids = (name: string) => p.phases.find((ph) => ph.name === name)?.steps.map((s) => s.id) ?? [];
    expect(ids("configure")).toContain("configure/fault-pipe-user-pages-soft-prepare");
    expect(ids("configure")).not.toContain("configure/fault-pipe-user-pages-soft");
    expect(ids("observe")).toEqual([
      "observe/fault-pipe-user-pages-soft",
      "observe/exec-after-fault",
      "observe/probes",
    ]);
    const prepare = step(p, "configure/fault-pipe-user-pages-soft-prepare");
    expect(prepare?.kind === "script" && prepare.runs[0]?.script).toContain("harness-large.json");
    const inject = step(p, "observe/fault-pipe-user-pages-soft");
    expect(inject?.kind === "script" && inject.runs[0]?.script).not.toContain("harness-large.json");
    expect(inject?.description).toMatch(
      /^fault pipe-user-pages-soft \(injected in observe, into the running cluster\): /,
    );
  });

  it("uploads the overriding runc release and verifies it against runc.sha256sum", () => {
    const out = faultRecipe.plan(
      recipeContext(
        kubeScenario({
          faults: [{ kind: "runc-override", source: { from: "release", version: "1.0.0-rc93" } }],
        }),
      ),
    );
    expect(out.artifacts).toEqual([
      {
        kind: "url",
        key: "url:https://github.com/opencontainers/runc/releases/download/v1.0.0-rc93/runc.amd64",
        url: "https://github.com/opencontainers/runc/releases/download/v1.0.0-rc93/runc.amd64",
        checksum: {
          url: "https://github.com/opencontainers/runc/releases/download/v1.0.0-rc93/runc.sha256sum",
        },
      },
    ]);
  });
});

describe("faults that break bootstrap or pod networking turn the steps they break into evidence", () => {
  it.each([
    { faults: [], expect: { init: "success", join: "success", cni: "success", smoke: "success" } },
    { faults: [{ kind: "swap-on" }], expect: { init: "any", join: "any", cni: "any", smoke: "any" } },
    {
      faults: [{ kind: "containerd-cri-disabled" }],
      expect: { init: "any", join: "any", cni: "any", smoke: "any" },
    },
    {
      faults: [{ kind: "cgroupfs-driver" }],
      expect: { init: "success", join: "success", cni: "any", smoke: "any" },
    },
    {
      faults: [{ kind: "swap-on", phase: "bootstrap" }],
      expect: { init: "any", join: "any", cni: "any", smoke: "any" },
    },
    {
      faults: [{ kind: "swap-on", phase: "observe" }],
      expect: { init: "success", join: "success", cni: "success", smoke: "success" },
    },
  ] as const)("faults $faults", ({ faults, expect: e }) => {
    const p = plan(kubeScenario({ faults: [...faults] }));
    expect({
      init: step(p, "bootstrap/kubeadm-init")?.expect,
      join: step(p, "join/kubeadm-join")?.expect,
      cni: step(p, "cni/flannel")?.expect,
      smoke: step(p, "workload/smoke")?.expect,
    }).toEqual(e);
  });
});
