// Test helper: a recipe context for a scenario written inline (validated and defaulted by the real schema).
import { machinesOf } from "../../plan/planner.ts";
import { scenarioSchema, type ScenarioInput } from "../../scenario/schema.ts";
import type { RecipeContext } from "../recipe.ts";

/** Parses the scenario and returns the context `planCell` would give recipes. */
export function recipeContext(input: ScenarioInput, file = "scenarios/test.yaml"): RecipeContext {
  const scenario = scenarioSchema.parse(input);
  return {
    cell: { id: scenario.name, scenarioName: scenario.name, file, labels: {}, scenario },
    scenario,
    machines: machinesOf(scenario),
  };
}

/** A two-node kubeadm scenario on containerd, with fields overridden. */
export function kubeScenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: "test",
    description: "test scenario",
    image: "ubuntu-22.04",
    nodes: [
      { name: "cp1", role: "control-plane" },
      { name: "worker1", role: "worker" },
    ],
    kubernetes: { version: "1.30.4" },
    runtime: { kind: "containerd", containerd: { source: { from: "distro" } } },
    cni: { plugin: "flannel" },
    observe: { probes: [{ name: "ready", kind: "node-condition" }] },
    expect: { verdict: "healthy", checks: [{ probe: "ready", equals: "True" }] },
    ...overrides,
  };
}
