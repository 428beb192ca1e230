// The probe kinds the planner and runner know, by kind.
import type { ProbeSpec } from "../scenario/probe-schema.ts";
import { commandProbe, kernelLogProbe, stepProbe, sysctlProbe } from "./basic-probes.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

type Registry = { [K in ProbeSpec["kind"]]?: ProbeDefinition<K> };

/** Definitions by kind. */
export const probeDefinitions: Registry = {
  command: commandProbe,
  "kernel-log": kernelLogProbe,
  sysctl: sysctlProbe,
  step: stepProbe,
};

/** The definition of a probe kind, or undefined when it is not implemented. */
export function probeDefinition<K extends ProbeSpec["kind"]>(kind: K): ProbeDefinition<K> | undefined {
  return probeDefinitions[kind];
}
