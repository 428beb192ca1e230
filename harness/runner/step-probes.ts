// Feeds `step` probes: a scenario step's (or kubeadm init/join's) result becomes a sample of every probe watching it.
import type { StepPlan } from "../plan/plan.ts";
import { probeDefinition } from "../probes/registry.ts";
import { watchableHarnessSteps } from "../scenario/harness-steps.ts";
import type { CellContext } from "./cell-context.ts";
import { recordSample } from "./observe.ts";
import type { NodeRun } from "./step-outcome.ts";

/** Records one sample per watching probe and node, at the time the step ended on that node. */
export function feedStepProbes(step: StepPlan, runs: NodeRun[], ctx: CellContext): void {
  const watchable =
    step.origin.startsWith("scenario:") ||
    (step.origin.startsWith("recipe:") && watchableHarnessSteps.includes(step.name));
  if (!watchable) return;
  const def = probeDefinition("step");
  for (const probe of ctx.plan.probes) {
    if (probe.spec.kind !== "step" || probe.spec.step !== step.name) continue;
    const run = runs.find((r) => r.node === probe.node);
    if (!run || !("result" in run)) continue;
    const r = run.result;
    const parsed = def.parse(
      { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 },
      probe.spec,
      ctx.probeContext,
    );
    recordSample(
      { probe: probe.name, node: probe.node, at: r.startedAt + r.durationMs, ...parsed },
      "step",
      ctx,
    );
  }
}
