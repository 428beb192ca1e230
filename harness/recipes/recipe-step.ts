// Builds the script steps recipes emit: one place for ids, origins, defaults and per-node scripts.
import type { PhaseName } from "../plan/phases.ts";
import type { ArtifactUse, MachinePlan, StepExpectation, StepPlan } from "../plan/plan.ts";
import { script } from "./shell.ts";

/** What a recipe says about one script step. */
export interface ScriptStepInput {
  recipe: string;
  name: string;
  phase: PhaseName;
  description: string;
  nodes: MachinePlan[];
  /** The body of the script on one node (the strict-mode header is added). */
  body: (node: MachinePlan) => string;
  timeoutMs: number;
  retries?: number;
  expect?: StepExpectation;
  uploads?: ArtifactUse[];
}

/** A script step on the given nodes, run in parallel. */
export function scriptStep(input: ScriptStepInput): StepPlan {
  return {
    id: `${input.phase}/${input.name}`,
    name: input.name,
    phase: input.phase,
    origin: `recipe:${input.recipe}`,
    description: input.description,
    timeoutMs: input.timeoutMs,
    retry: { retries: input.retries ?? 0, delayMs: 5_000, kind: "step" },
    expect: input.expect ?? "success",
    kind: "script",
    runs: input.nodes.map((node) => ({ node: node.name, script: script(input.body(node)) })),
    uploads: input.uploads ?? [],
  };
}

/** The machines named (all when `names` is undefined), in plan order. */
export function machinesNamed(machines: MachinePlan[], names: string[] | undefined): MachinePlan[] {
  return names === undefined ? machines : machines.filter((m) => names.includes(m.name));
}

/** Directory on a node where uploaded artifacts land. */
export const artifactDir = "/var/lib/harness/artifacts";

/** Directory on a node for files the harness writes (rootfs, profiles, the join command). */
export const harnessStateDir = "/var/lib/harness";
