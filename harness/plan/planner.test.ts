import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../scenario/load.ts";
import { expandMatrix } from "../scenario/matrix.ts";
import type { Recipe } from "../recipes/recipe.ts";
import { script } from "../recipes/shell.ts";
import { phaseNames } from "./phases.ts";
import { planCell } from "./planner.ts";

const fixture = path.join(import.meta.dirname, "..", "scenario", "fixtures", "valid-minimal.yaml");
const [cell] = expandMatrix(await loadScenario(fixture));

describe("planCell", () => {
  it("lists every phase in order, bracketed by machine creation and destruction", () => {
    const plan = planCell(cell!, []);
    expect(plan.phases.map((p) => p.name)).toEqual([...phaseNames]);
    expect(plan.phases[0]!.steps.map((s) => s.kind)).toEqual(["create-machines"]);
    expect(plan.phases.at(-1)!.steps.map((s) => s.kind)).toEqual(["destroy-machines"]);
    expect(plan.phases.find((p) => p.name === "collect")!.steps.map((s) => s.kind)).toEqual(["collect-logs"]);
  });

  it("refuses a plan whose scripts add up to more than 32 MB over its nodes (64 nodes x 10 steps x 60 KB)", () => {
    const big = {
      ...cell!,
      scenario: {
        ...cell!.scenario,
        nodes: Array.from({ length: 64 }, (_, i) => ({ ...cell!.scenario.nodes[0]!, name: `n${i}` })),
        steps: Array.from({ length: 10 }, (_, i) => ({
          ...cell!.scenario.steps[0]!,
          name: `s${i}`,
          run: `: ${"x".repeat(60_000)}`,
        })),
      },
    };
    expect(() => planCell(big, [])).toThrow(/add up to 36\.\d MB over all nodes, more than 32 MB/);
  });

  it("carries a custom step with its exact script, node, timeout and retry policy", () => {
    const plan = planCell(cell!, []);
    const step = plan.phases.find((p) => p.name === "workload")!.steps[0]!;
    expect(step).toMatchObject({
      id: "workload/hello",
      origin: "scenario:steps[0]",
      timeoutMs: 300_000,
      retry: { retries: 0, kind: "step" },
      expect: "success",
      kind: "script",
      runs: [{ node: "node1", script: "#!/usr/bin/env bash\nset -euo pipefail\necho hello\n" }],
    });
  });

  it("gives machines their sizes and addresses on the private segment", () => {
    const plan = planCell(cell!, []);
    expect(plan.machines).toEqual([
      {
        name: "node1",
        role: "standalone",
        cpus: 2,
        memoryMiB: 2048,
        diskGiB: 10,
        image: "debian-13",
        imagePackages: [],
        imagePayload: null,
        kernelArgs: [],
        outbound: "debian-mirror",
        privateIp: "10.200.0.11",
      },
    ]);
  });

  it("gives every machine the scenario's kernelArgs", async () => {
    const file = path.join(import.meta.dirname, "..", "..", "scenarios", "debian11-kubeadm.yaml");
    const loaded = await loadScenario(file);
    const scenario = { ...loaded.scenario, kernelArgs: ["systemd.unified_cgroup_hierarchy=1"] };
    const plan = planCell(expandMatrix({ ...loaded, scenario })[0]!, []);
    expect(plan.machines.map((m) => [m.name, m.kernelArgs])).toEqual([
      ["cp1", ["systemd.unified_cgroup_hierarchy=1"]],
      ["worker1", ["systemd.unified_cgroup_hierarchy=1"]],
    ]);
  });

  it("gives the machines of a Kubernetes release built here its payload, node packages and no outbound network", async () => {
    const file = path.join(import.meta.dirname, "..", "..", "scenarios", "debian11-kubeadm.yaml");
    const plan = planCell(expandMatrix(await loadScenario(file))[0]!, []);
    expect(plan.machines.map((m) => [m.name, m.imagePayload, m.outbound])).toEqual([
      ["cp1", "kubernetes-v1.20.2", "none"],
      ["worker1", "kubernetes-v1.20.2", "none"],
    ]);
    expect(plan.machines[0]?.imagePackages).toContain("conntrack");
  });

  it("plans probes per node with their commands, and carries checks and the expected verdict", () => {
    const plan = planCell(cell!, []);
    expect(plan.probes).toEqual([
      expect.objectContaining({ name: "hello-result", kind: "step", node: "node1", command: null }),
    ]);
    expect(plan.checks).toHaveLength(1);
    expect(plan.expect).toBe("healthy");
    expect(plan.kubernetes).toBeNull();
  });

  it("places recipe steps in their phases before custom steps, and collects their artifacts once", () => {
    const recipe = (id: string): Recipe => ({
      name: id,
      plan: () => ({
        steps: [
          {
            id: `workload/${id}`,
            name: id,
            phase: "workload",
            origin: "recipe:demo",
            description: "demo",
            timeoutMs: 1000,
            retry: { retries: 0, delayMs: 0, kind: "step" },
            expect: "success",
            kind: "script",
            runs: [{ node: "node1", script: script("true") }],
            uploads: [{ artifact: "a", to: "/tmp/a" }],
          },
        ],
        artifacts: [{ kind: "local-file", key: "a", path: "a.bin", sha256: "0".repeat(64) }],
      }),
    });
    const plan = planCell(cell!, [recipe("one"), recipe("two")]);
    expect(plan.phases.find((p) => p.name === "workload")!.steps.map((s) => s.id)).toEqual([
      "workload/one",
      "workload/two",
      "workload/hello",
    ]);
    expect(plan.artifacts).toEqual([{ kind: "local-file", key: "a", path: "a.bin", sha256: "0".repeat(64) }]);
  });

  it("refuses two steps with the same id", () => {
    const clash: Recipe = {
      name: "clash",
      plan: () => ({
        steps: [
          {
            id: "workload/hello",
            name: "hello",
            phase: "workload",
            origin: "recipe:clash",
            description: "",
            timeoutMs: 1,
            retry: { retries: 0, delayMs: 0, kind: "step" },
            expect: "success",
            kind: "script",
            runs: [],
            uploads: [],
          },
        ],
        artifacts: [],
      }),
    };
    expect(() => planCell(cell!, [clash])).toThrow(/two steps have the id workload\/hello/);
  });

  it("is pure: the same cell gives the same plan", () => {
    expect(planCell(cell!, [])).toEqual(planCell(cell!, []));
  });
});
