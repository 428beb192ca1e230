// Which faults are expected to break which recipe steps: such steps become evidence (expect "any"), not errors.
import type { Scenario } from "../scenario/schema.ts";
import type { FaultKind } from "../scenario/fault-schema.ts";
import { phaseNames, type PhaseName } from "../plan/phases.ts";

/** What a fault can break, as recipe steps see it. */
export type Breakage = "bootstrap" | "pod-network";

const breaks: Record<FaultKind, Breakage[]> = {
  // The mismatch kills and re-creates pod sandboxes: pods that are installed after init may never settle.
  "cgroupfs-driver": ["pod-network"],
  "containerd-cri-disabled": ["bootstrap"],
  "cri-dockerd-no-cni": ["pod-network"],
  "dockershim-no-cni": ["pod-network"],
  "swap-on": ["bootstrap"],
  "pipe-user-pages-soft": [],
  "runc-override": [],
  "apparmor-profile": [],
  // What an arbitrary kernel parameter breaks is not known: a recipe step it breaks fails as an error.
  sysctl: [],
};

/** The last phase whose steps a fault injected in it can still break. */
const brokenUpTo: Record<Breakage, PhaseName> = { bootstrap: "bootstrap", "pod-network": "workload" };

/**
 * True when a fault of the scenario, injected early enough, is known to break any of these parts, so the steps
 * that need them may fail as evidence.
 */
export function faultsBreak(scenario: Scenario, ...what: [Breakage, ...Breakage[]]): boolean {
  return what.some((part) => {
    const last = phaseNames.indexOf(brokenUpTo[part]);
    return scenario.faults.some((f) => breaks[f.kind].includes(part) && phaseNames.indexOf(f.phase) <= last);
  });
}
