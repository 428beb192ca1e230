// The ordered phases every plan walks through; recipes and custom steps attach to them by name.

/** Phase names in execution order. */
export const phaseNames = [
  "create",
  "prepare-os",
  "install-runtime",
  "configure",
  "bootstrap",
  "cni",
  "join",
  "workload",
  "observe",
  "collect",
  "destroy",
] as const;

/** One phase of a plan. */
export type PhaseName = (typeof phaseNames)[number];

/** Phases a scenario's custom `steps` may attach to (create and destroy belong to the provider). */
export const customStepPhases = [
  "prepare-os",
  "install-runtime",
  "configure",
  "bootstrap",
  "cni",
  "join",
  "workload",
  "observe",
  "collect",
] as const satisfies readonly PhaseName[];

/** Phases a fault may be injected in: from configure on (the runtime's configuration exists by then). */
export const faultPhases = [
  "configure",
  "bootstrap",
  "cni",
  "join",
  "workload",
  "observe",
] as const satisfies readonly PhaseName[];
