// Test support: a scenario cell and its plan (without recipes: local-dir machines must never install runtimes).
import { stringify } from "yaml";
import { parseScenarioText, validateScenarioData } from "../../scenario/load.ts";
import type { ScenarioCell } from "../../scenario/matrix.ts";
import { planCell } from "../../plan/planner.ts";
import type { Plan } from "../../plan/plan.ts";
import type { Recipe } from "../../recipes/recipe.ts";

/** The smallest valid scenario around the given fields (standalone nodes, no Kubernetes). */
export function localScenario(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    name: "local-test",
    description: "runner test on local directories",
    image: "debian-13",
    nodes: [{ name: "node1", role: "standalone", memory: "256M" }],
    runtime: { kind: "containerd", containerd: { source: { from: "distro" } } },
    ...fields,
  };
}

/** Validates a scenario object and plans it with the given test recipes (none by default: no runtime installs). */
export function localCell(
  fields: Record<string, unknown>,
  recipes: readonly Recipe[] = [],
): { cell: ScenarioCell; plan: Plan } {
  const file = "local-test.yaml";
  const { raw, source } = parseScenarioText(file, stringify(localScenario(fields)));
  const scenario = validateScenarioData(file, raw, source);
  const cell: ScenarioCell = { id: scenario.name, scenarioName: scenario.name, file, labels: {}, scenario };
  return { cell, plan: planCell(cell, recipes) };
}
