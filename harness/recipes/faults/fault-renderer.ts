// What each fault kind renders: the step's description (what it breaks), its per-node script, uploads and artifacts.
import type { ArtifactPlan, ArtifactUse, MachinePlan } from "../../plan/plan.ts";
import type { FaultKind, FaultSpec } from "../../scenario/fault-schema.ts";
import type { RecipeContext } from "../recipe.ts";

/** A fault's step content. */
export interface FaultStep {
  description: string;
  body: (node: MachinePlan) => string;
  uploads: ArtifactUse[];
  artifacts: ArtifactPlan[];
  timeoutMs: number;
  /** What must be in place before the cluster starts whatever phase the fault strikes in (run in configure). */
  prepare?: { description: string; body: (node: MachinePlan) => string };
}

/** Renders one kind of fault. */
export type FaultRenderer<K extends FaultKind> = (
  fault: Extract<FaultSpec, { kind: K }>,
  ctx: RecipeContext,
) => FaultStep;
