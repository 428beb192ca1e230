// The observe phase: samples every probe on its node each interval, until the window ends or the checks settle.
import { commandEvent } from "./command-event.ts";
import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";
import type { ProbePlan } from "../plan/plan.ts";
import type { ProbeSample } from "../probes/probe-definition.ts";
import { probeDefinition } from "../probes/registry.ts";
import { withRunStart } from "../probes/run-start.ts";
import type { CellContext } from "./cell-context.ts";
import type { ChecksEvaluator } from "./runner-deps.ts";
import { tail } from "./step-outcome.ts";

/** How observation ended. */
export interface ObserveResult {
  startedAt: number;
  rounds: number;
  /** Why it stopped: the window ended, the checks settled, or the run was aborted. */
  stoppedBecause: "window" | "settled" | "aborted" | "infra";
}

async function sampleProbe(probe: ProbePlan, ctx: CellContext): Promise<ProbeSample | null> {
  const def = probeDefinition(probe.kind);
  if (!def || probe.command === null) return null;
  const transport = ctx.transports.get(probe.node);
  const at = ctx.timeline.now();
  if (!transport)
    return { probe: probe.name, node: probe.node, at, value: null, evidence: [], error: "no connection" };
  const guestStart = (ctx.startedAt + (ctx.clockOffsets.get(probe.node) ?? 0)) / 1000;
  const result = await transport.exec(withRunStart(probe.command, guestStart), {
    timeoutMs: probe.timeoutMs,
    signal: ctx.signal,
  });
  ctx.timeline.emit(
    commandEvent(result, {
      node: probe.node,
      purpose: `probe ${probe.name}`,
      command: probe.command,
      stderrLines: 5,
    }),
  );
  if (result.transportError !== undefined) {
    if (!ctx.signal.aborted)
      ctx.infraFailures.push(
        `${probe.node}: connection lost while sampling ${probe.name}: ${result.transportError}`,
      );
    return {
      probe: probe.name,
      node: probe.node,
      at,
      value: null,
      evidence: [],
      error: result.transportError,
    };
  }
  if (result.timedOut || result.exitCode === null)
    return {
      probe: probe.name,
      node: probe.node,
      at,
      value: null,
      evidence: tail(result.stderr, 5),
      error: result.timedOut
        ? `timed out after ${probe.timeoutMs}ms`
        : `killed by ${result.signal ?? "a signal"}`,
    };
  // The definition's parse is typed per kind; the plan pairs each probe with its own spec.
  const parse = def.parse.bind(def) as (
    o: unknown,
    s: unknown,
    c: unknown,
  ) => Pick<ProbeSample, "value" | "evidence">;
  try {
    const parsed = parse(
      { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode },
      probe.spec,
      ctx.probeContext,
    );
    return { probe: probe.name, node: probe.node, at, ...parsed };
  } catch (err) {
    return {
      probe: probe.name,
      node: probe.node,
      at,
      value: null,
      evidence: tail(result.stdout, 5),
      error: `could not read the output: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/** Records a sample: into the cell's series and the timeline (Kubernetes events as their own markers). */
export function recordSample(sample: ProbeSample, kind: ProbePlan["kind"], ctx: CellContext): void {
  const seen = new Set(
    ctx.samples.filter((s) => s.probe === sample.probe && s.node === sample.node).flatMap((s) => s.evidence),
  );
  ctx.samples.push(sample);
  ctx.timeline.emit({
    kind: "probe",
    at: sample.at,
    probe: sample.probe,
    node: sample.node,
    value: sample.value,
    evidence: sample.evidence,
    ...(sample.error !== undefined ? { error: sample.error } : {}),
  });
  if (kind === "events")
    for (const line of sample.evidence)
      if (!seen.has(line))
        ctx.timeline.emit({ kind: "kube-event", node: sample.node, probe: sample.probe, line });
}

/** Samples all probes each interval; stops at the window's end, when checks settle, on abort or lost connection. */
export async function observe(ctx: CellContext, evaluate: ChecksEvaluator): Promise<ObserveResult> {
  const { durationMs, intervalMs, stopWhenSettled } = ctx.plan.observe;
  const startedAt = ctx.timeline.now();
  const sampled = ctx.plan.probes.filter((p) => p.command !== null);
  // Cluster probes all run kubectl on the control plane. Each kubectl costs that guest seconds of CPU under TCG:
  // four at once took over 30 s each here, one at a time 11-22 s. Other probes still run beside them.
  const oneKubectlAtATime = pLimit(1);
  let rounds = 0;
  for (;;) {
    if (ctx.signal.aborted) return { startedAt, rounds, stoppedBecause: "aborted" };
    const roundStart = ctx.timeline.now();
    const samples = await Promise.all(
      sampled.map((p) =>
        probeDefinition(p.kind)?.cluster === true
          ? oneKubectlAtATime(() => sampleProbe(p, ctx))
          : sampleProbe(p, ctx),
      ),
    );
    rounds += 1;
    samples.forEach((s, i) => {
      if (s) recordSample(s, sampled[i]!.kind, ctx);
    });
    ctx.timeline.flush();
    if (ctx.signal.aborted) return { startedAt, rounds, stoppedBecause: "aborted" };
    if (ctx.infraFailures.length > 0) return { startedAt, rounds, stoppedBecause: "infra" };
    if (stopWhenSettled && evaluate(ctx.plan.expect, ctx.plan.checks, ctx.samples, startedAt, false).settled)
      return { startedAt, rounds, stoppedBecause: "settled" };
    const elapsed = ctx.timeline.now() - startedAt;
    if (elapsed + intervalMs > durationMs) return { startedAt, rounds, stoppedBecause: "window" };
    const wait = Math.max(0, intervalMs - (ctx.timeline.now() - roundStart));
    try {
      await sleep(wait, undefined, { signal: ctx.signal });
    } catch {
      return { startedAt, rounds, stoppedBecause: "aborted" };
    }
  }
}
