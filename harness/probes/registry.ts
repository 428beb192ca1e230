// The probe kinds the planner and runner know, by kind: every kind of the scenario language has one.
import type { ProbeSpec } from "../scenario/probe-schema.ts";
import { commandProbe } from "./command-probe.ts";
import { eventsProbe } from "./events-probe.ts";
import { journalProbe } from "./journal-probe.ts";
import { kernelLogProbe } from "./kernel-log-probe.ts";
import { nodeConditionProbe } from "./node-condition-probe.ts";
import { podIpsProbe } from "./pod-ips-probe.ts";
import { podRestartsProbe } from "./pod-restarts-probe.ts";
import { preflightProbe } from "./preflight-probe.ts";
import type { ProbeDefinition } from "./probe-definition.ts";
import { processProbe } from "./process-probe.ts";
import { stepProbe } from "./step-probe.ts";
import { sysctlProbe } from "./sysctl-probe.ts";

type Registry = { [K in ProbeSpec["kind"]]: ProbeDefinition<K> };

/** Definitions by kind; the type makes a new kind in probe-schema.ts a compile error until it is added here. */
export const probeDefinitions: Registry = {
  command: commandProbe,
  journal: journalProbe,
  "kernel-log": kernelLogProbe,
  sysctl: sysctlProbe,
  process: processProbe,
  "node-condition": nodeConditionProbe,
  "pod-restarts": podRestartsProbe,
  events: eventsProbe,
  "pod-ips": podIpsProbe,
  preflight: preflightProbe,
  step: stepProbe,
};

/** The definition of a probe kind. */
export function probeDefinition<K extends ProbeSpec["kind"]>(kind: K): ProbeDefinition<K> {
  return probeDefinitions[kind];
}
