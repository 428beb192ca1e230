// Test helper: loads every cell of the scenario catalog and plans it with the default recipes.
import { planCell } from "../../plan/planner.ts";
import type { Plan } from "../../plan/plan.ts";
import { catalogFiles } from "../../scenario/catalog.ts";
import { loadScenario } from "../../scenario/load.ts";
import { expandMatrix, type ScenarioCell } from "../../scenario/matrix.ts";
import { defaultRecipes } from "../index.ts";

/** Every cell of every catalog scenario, in catalog order. */
export async function catalogCells(): Promise<ScenarioCell[]> {
  const cells: ScenarioCell[] = [];
  for (const file of await catalogFiles()) cells.push(...expandMatrix(await loadScenario(file)));
  return cells;
}

/** The plan of every cell of every catalog scenario, in catalog order. */
export async function catalogPlans(): Promise<Plan[]> {
  return (await catalogCells()).map((cell) => planCell(cell, defaultRecipes));
}
