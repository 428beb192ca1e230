// Recipe: each fault of a scenario as a configure-phase step on its nodes, after the runtime is configured.
import type { FaultKind, FaultSpec } from "../../scenario/fault-schema.ts";
import type { Recipe, RecipeContext } from "../recipe.ts";
import { machinesNamed, scriptStep } from "../recipe-step.ts";
import { apparmorProfileFault } from "./apparmor-profile.ts";
import { cgroupfsDriverFault } from "./cgroupfs-driver.ts";
import { containerdCriDisabledFault } from "./containerd-cri-disabled.ts";
import { criDockerdNoCniFault } from "./cri-dockerd-no-cni.ts";
import type { FaultStep } from "./fault-renderer.ts";
import { pipeUserPagesSoftFault } from "./pipe-user-pages-soft.ts";
import { runcOverrideFault } from "./runc-override.ts";
import { swapOnFault } from "./swap-on.ts";

function render(fault: FaultSpec, ctx: RecipeContext): FaultStep {
  switch (fault.kind) {
    case "cgroupfs-driver":
      return cgroupfsDriverFault(fault, ctx);
    case "containerd-cri-disabled":
      return containerdCriDisabledFault(fault, ctx);
    case "cri-dockerd-no-cni":
      return criDockerdNoCniFault(fault, ctx);
    case "swap-on":
      return swapOnFault(fault, ctx);
    case "pipe-user-pages-soft":
      return pipeUserPagesSoftFault(fault, ctx);
    case "runc-override":
      return runcOverrideFault(fault, ctx);
    case "apparmor-profile":
      return apparmorProfileFault(fault, ctx);
  }
}

/** The scenario's faults, in order; a kind used twice gets a numbered step name. */
export const faultRecipe: Recipe = {
  name: "faults",
  plan(ctx) {
    const seen = new Map<FaultKind, number>();
    const rendered = ctx.scenario.faults.map((fault) => {
      const n = (seen.get(fault.kind) ?? 0) + 1;
      seen.set(fault.kind, n);
      const step = render(fault, ctx);
      return {
        step: scriptStep({
          recipe: "faults",
          name: n === 1 ? `fault-${fault.kind}` : `fault-${fault.kind}-${n}`,
          phase: "configure",
          description: `fault ${fault.kind}: ${step.description}`,
          nodes: machinesNamed(ctx.machines, fault.nodes),
          body: step.body,
          timeoutMs: step.timeoutMs,
          uploads: step.uploads,
        }),
        artifacts: step.artifacts,
      };
    });
    return { steps: rendered.map((r) => r.step), artifacts: rendered.flatMap((r) => r.artifacts) };
  },
};
