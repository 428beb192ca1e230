// The state one cell's run shares between its steps: machines, transports, artifacts, timeline, samples.
import path from "node:path";
import type { Plan } from "../plan/plan.ts";
import type { ProbeContext, ProbeSample } from "../probes/probe-definition.ts";
import type { Machine } from "../providers/provider.ts";
import type { Timeline } from "../timeline/timeline.ts";
import type { Transport } from "../transport/transport.ts";
import type { ResolvedArtifact } from "./runner-deps.ts";

/** What a step of a running cell can reach. */
export interface CellContext {
  plan: Plan;
  /** What probe parsers may read (the scenario). */
  probeContext: ProbeContext;
  runId: string;
  runDir: string;
  timeline: Timeline;
  signal: AbortSignal;
  machines: Map<string, Machine>;
  transports: Map<string, Transport>;
  artifacts: Map<string, ResolvedArtifact>;
  /** Host time the run started (probes count log lines since then). */
  startedAt: number;
  /** Guest clock minus host clock per node, ms, once the fingerprint measured it. */
  clockOffsets: Map<string, number>;
  /** Every probe sample taken so far (step probes included). */
  samples: ProbeSample[];
  /** Set when the infrastructure failed (dropped connection, failed upload) outside a step's own outcome. */
  infraFailures: string[];
}

/** `<runDir>/logs/<machine>`. */
export function machineLogDir(ctx: Pick<CellContext, "runDir">, machine: string): string {
  return path.join(ctx.runDir, "logs", machine);
}

/** The transport of a node, or an error naming the node when it has none (machine not created). */
export function transportOf(ctx: CellContext, node: string): Transport {
  const t = ctx.transports.get(node);
  if (!t) throw new Error(`no connection to ${node}: the machine was not created or not reached`);
  return t;
}
