// Recipe: each fault of a scenario as a step of its phase (configure by default, after the runtime is configured) on its nodes.
import type { FaultKind, FaultSpec } from "../../scenario/fault-schema.ts";
import type { Recipe, RecipeContext } from "../recipe.ts";
import { machinesNamed, scriptStep } from "../recipe-step.ts";
import { apparmorProfileFault } from "./apparmor-profile.ts";
import { cgroupfsDriverFault } from "./cgroupfs-driver.ts";
import { containerdCriDisabledFault } from "./containerd-cri-disabled.ts";
import { criDockerdNoCniFault } from "./cri-dockerd-no-cni.ts";
import { dockershimNoCniFault } from "./dockershim-no-cni.ts";
import type { FaultStep } from "./fault-renderer.ts";
import { pipeUserPagesSoftFault } from "./pipe-user-pages-soft.ts";
import { runcOverrideFault } from "./runc-override.ts";
import { swapOnFault } from "./swap-on.ts";
import { sysctlFault } from "./sysctl.ts";

function render(fault: FaultSpec, ctx: RecipeContext): FaultStep {
  switch (fault.kind) {
    case "cgroupfs-driver":
      return cgroupfsDriverFault(fault, ctx);
    case "containerd-cri-disabled":
      return containerdCriDisabledFault(fault, ctx);
    case "cri-dockerd-no-cni":
      return criDockerdNoCniFault(fault, ctx);
    case "dockershim-no-cni":
      return dockershimNoCniFault(fault, ctx);
    case "swap-on":
      return swapOnFault(fault, ctx);
    case "pipe-user-pages-soft":
      return pipeUserPagesSoftFault(fault, ctx);
    case "runc-override":
      return runcOverrideFault(fault, ctx);
    case "apparmor-profile":
      return apparmorProfileFault(fault, ctx);
    case "sysctl":
      return sysctlFault(fault, ctx);
  }
}

/** The scenario's faults, in order, each in its phase, after its preparation (if any) in configure; a kind used twice gets a numbered step name. */
export const faultRecipe: Recipe = {
  name: "faults",
  plan(ctx) {
    const seen = new Map<FaultKind, number>();
    const rendered = ctx.scenario.faults.map((fault) => {
      const n = (seen.get(fault.kind) ?? 0) + 1;
      seen.set(fault.kind, n);
      const name = n === 1 ? `fault-${fault.kind}` : `fault-${fault.kind}-${n}`;
      const step = render(fault, ctx);
      const nodes = machinesNamed(ctx.machines, fault.nodes);
      const prepare = step.prepare
        ? [
            scriptStep({
              recipe: "faults",
              name: `${name}-prepare`,
              phase: "configure",
              description: `fault ${fault.kind}, preparation: ${step.prepare.description}`,
              nodes,
              body: step.prepare.body,
              timeoutMs: step.timeoutMs,
              uploads: [],
            }),
          ]
        : [];
      const inject = scriptStep({
        recipe: "faults",
        name,
        phase: fault.phase,
        description: `fault ${fault.kind}${fault.phase === "configure" ? "" : ` (injected in ${fault.phase}, into the running cluster)`}: ${step.description}`,
        nodes,
        body: step.body,
        timeoutMs: step.timeoutMs,
        uploads: step.uploads,
      });
      return { steps: [...prepare, inject], artifacts: step.artifacts };
    });
    return { steps: rendered.flatMap((r) => r.steps), artifacts: rendered.flatMap((r) => r.artifacts) };
  },
};
