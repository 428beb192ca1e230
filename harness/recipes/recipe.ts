// The extension point through which a scenario's declarative parts (runtime, kubernetes, cni, faults) become steps.
import type { ScenarioCell } from "../scenario/matrix.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { ArtifactPlan, MachinePlan, StepPlan } from "../plan/plan.ts";

/** What a recipe sees: the cell, its scenario and the machines the plan will create. */
export interface RecipeContext {
  cell: ScenarioCell;
  scenario: Scenario;
  machines: MachinePlan[];
}

/** What a recipe adds to a plan: steps (placed in their phases) and the artifacts those steps upload. */
export interface RecipeOutput {
  steps: StepPlan[];
  artifacts: ArtifactPlan[];
}

/** A recipe: decides whether it applies to a scenario and renders its steps. Pure: no I/O. */
export interface Recipe {
  name: string;
  /** Renders the recipe's steps, or returns none when the scenario does not call for it. */
  plan(ctx: RecipeContext): RecipeOutput;
}
