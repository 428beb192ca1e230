// Runs one cell's plan end to end: artifacts, machines, steps, observation, checks, logs, teardown, verdict.
import { mkdir } from "node:fs/promises";
import { describeError } from "../errors.ts";
import path from "node:path";
import type { Plan, StepPlan } from "../plan/plan.ts";
import { writeRunRecord, type RunRecord } from "../reports/run-record.ts";
import type { ScenarioCell } from "../scenario/matrix.ts";
import { failedOutcomes } from "../timeline/events.ts";
import { Timeline } from "../timeline/timeline.ts";
import type { CellContext } from "./cell-context.ts";
import { collectLogs, type CollectStep } from "./collect-logs.ts";
import { createMachines } from "./create-machines.ts";
import { readFingerprints } from "./fingerprints.ts";
import { initialRecord } from "./initial-record.ts";
import { copyJoinCommand, joinCommandSourceStep } from "./join-command.ts";
import { keepMachines } from "./keep-policy.ts";
import { observe } from "./observe.ts";
import { newRunId } from "./run-id.ts";
import type { ChecksEvaluation, RunOptions, RunnerDeps } from "./runner-deps.ts";
import { runScriptStep } from "./script-step.ts";
import { StepJournal, stepNodes } from "./step-journal.ts";
import { feedStepProbes } from "./step-probes.ts";
import { TeardownStack } from "./teardown-stack.ts";
import { decideRunVerdict, type VerdictDecision } from "./verdict.ts";
import { versionMismatches } from "./version-mismatches.ts";

/** What a finished run hands back: its record and where it lives. */
export interface CellRun {
  runDir: string;
  record: RunRecord;
}

/** Runs one cell. Never throws for a run that went wrong: the verdict says what happened. */
export async function runCell(
  cell: ScenarioCell,
  plan: Plan,
  deps: RunnerDeps,
  opts: RunOptions,
): Promise<CellRun> {
  const runId = opts.runId ?? newRunId(deps.clock());
  const runDir = path.join(opts.resultsDir, plan.scenario, runId);
  await mkdir(path.join(runDir, "logs"), { recursive: true });
  const record = initialRecord(cell, plan, {
    runId,
    startedAt: deps.clock(),
    provider: deps.provider.name,
    harnessVersion: deps.harnessVersion,
    repetition: opts.repetition,
  });
  writeRunRecord(runDir, record);
  const timeline = new Timeline(path.join(runDir, "events.ndjson"), deps.clock);
  opts.listeners.forEach((l) => timeline.listen(l));
  const ctx: CellContext = {
    plan,
    probeContext: { scenario: cell.scenario },
    runId,
    runDir,
    timeline,
    signal: opts.signal,
    machines: new Map(),
    transports: new Map(),
    artifacts: new Map(),
    startedAt: record.startedAt,
    clockOffsets: new Map(),
    samples: [],
    infraFailures: [],
  };
  timeline.emit({
    kind: "run-start",
    runId,
    scenario: plan.scenario,
    cellId: plan.cellId,
    labels: plan.labels,
    expect: plan.expect,
    provider: deps.provider.name,
    harnessVersion: deps.harnessVersion,
    machines: plan.machines.map((m) => ({
      name: m.name,
      role: m.role,
      cpus: m.cpus,
      memoryMiB: m.memoryMiB,
    })),
  });
  const onAbort = () => timeline.emit({ kind: "interrupt", signal: String(opts.signal.reason ?? "abort") });
  opts.signal.addEventListener("abort", onAbort, { once: true });

  const journal = new StepJournal(timeline, record, runDir, ctx.infraFailures);
  const teardowns = new TeardownStack();
  let checks: ChecksEvaluation | null = null;
  let decision: VerdictDecision | null = null;
  /** The verdict from what happened so far; decided before teardown (--keep needs it) and again after. */
  const decide = (): VerdictDecision => {
    decision = decideRunVerdict({
      expect: plan.expect,
      aborted: opts.signal.aborted,
      infraFailures: ctx.infraFailures,
      failedSteps: journal.failedSteps,
      versionMismatches: record.versionMismatches,
      checks,
    });
    return decision;
  };

  /** Reads each node's fingerprint once: before observation, or while collecting logs when a run stopped early. */
  const fingerprintOnce = async (signal: AbortSignal) => {
    if (!deps.fingerprint || Object.keys(record.nodes).length > 0 || ctx.transports.size === 0) return;
    const fp = await readFingerprints(ctx, deps.fingerprint, signal);
    for (const [node, n] of Object.entries(fp)) {
      record.nodes[node] = n;
      if (n.clockOffsetMs !== null) ctx.clockOffsets.set(node, n.clockOffsetMs);
    }
    record.versionMismatches = versionMismatches(plan.artifacts, record.artifacts, record.nodes);
  };

  const collectStep = plan.phases
    .flatMap((p) => p.steps)
    .find((s): s is CollectStep => s.kind === "collect-logs");
  let collected = false;
  const collectOnce = async (signal: AbortSignal) => {
    if (collected || !collectStep) return;
    collected = true;
    const end = journal.begin(collectStep, stepNodes(collectStep));
    await fingerprintOnce(signal);
    const result = await collectLogs(collectStep, ctx, deps.provider, signal);
    end(
      result.problems.length > 0 ? "tolerated-failure" : "passed",
      1,
      result.problems.join("\n") || undefined,
    );
  };

  const runObserve = async (step: Extract<StepPlan, { kind: "observe" }>) => {
    const end = journal.begin(step, [...ctx.machines.keys()]);
    await fingerprintOnce(opts.signal);
    const result = await observe(ctx, deps.evaluateChecks);
    const evaluation = deps.evaluateChecks(plan.expect, plan.checks, ctx.samples, result.startedAt, true);
    checks = evaluation;
    timeline.emit({ kind: "checks", results: evaluation.results });
    record.checks = evaluation.results;
    if (result.stoppedBecause === "aborted") end("aborted", 1, "interrupted");
    else if (result.stoppedBecause === "infra") end("infra-failure", 1, ctx.infraFailures.join("\n"));
    else
      end(
        "passed",
        1,
        `${result.rounds} sampling round(s); stopped because ${result.stoppedBecause === "settled" ? "every check was settled" : "the window ended"}`,
      );
  };

  const runStep = async (step: StepPlan) => {
    switch (step.kind) {
      case "create-machines":
        await createMachines(step, {
          ctx,
          deps,
          opts,
          record,
          journal,
          teardowns,
          keep: () => keepMachines(opts.keep, decision ?? decide()),
          collectLogs: collectOnce,
        });
        return;
      case "script": {
        const end = journal.begin(step, stepNodes(step));
        const result = await runScriptStep(step, ctx);
        feedStepProbes(step, result.runs, ctx);
        if (step.id === joinCommandSourceStep && result.outcome !== "aborted") await copyJoinCommand(ctx);
        end(result.outcome, result.attempts, result.message);
        return;
      }
      case "observe":
        await runObserve(step);
        return;
      case "collect-logs":
        await collectOnce(AbortSignal.timeout(opts.teardownDeadlineMs));
        return;
      case "destroy-machines": {
        decide();
        const end = journal.begin(step, step.machines);
        const failed = (await teardowns.runAll(opts.teardownDeadlineMs)).filter((r) => !r.ok);
        end(
          failed.length > 0 ? "failed" : "passed",
          1,
          failed.map((f) => `${f.title}: ${f.error}`).join("\n") || undefined,
        );
        return;
      }
    }
  };

  try {
    for (const phase of plan.phases) {
      if (phase.steps.length === 0) continue;
      const always = phase.name === "collect" || phase.name === "destroy";
      const skipping = () =>
        (journal.stopped || ctx.infraFailures.length > 0 || opts.signal.aborted) && !always;
      if (skipping()) {
        phase.steps.forEach((s) => journal.skip(s));
        continue;
      }
      const phaseStart = timeline.now();
      timeline.emit({ kind: "phase-start", phase: phase.name });
      for (const step of phase.steps) {
        if (skipping()) journal.skip(step);
        else await runStep(step);
      }
      const durationMs = timeline.now() - phaseStart;
      record.phases.push({ name: phase.name, startedAt: phaseStart, durationMs });
      timeline.emit({
        kind: "phase-end",
        phase: phase.name,
        durationMs,
        failed: record.steps.some((s) => s.phase === phase.name && failedOutcomes.has(s.outcome)),
      });
    }
  } catch (err) {
    timeline.emit({ kind: "error", message: `the runner failed: ${describeError(err)}`, infra: false });
    journal.failedSteps.push({ id: "harness", outcome: "failed", message: describeError(err) });
  } finally {
    opts.signal.removeEventListener("abort", onAbort);
    if (!teardowns.done) {
      decide();
      for (const r of (await teardowns.runAll(opts.teardownDeadlineMs)).filter((x) => !x.ok))
        timeline.emit({ kind: "error", message: `teardown "${r.title}" failed: ${r.error}`, infra: true });
    }
    const final = decide();
    const endedAt = timeline.now();
    Object.assign(record, { ...final, endedAt, durationMs: endedAt - record.startedAt, complete: true });
    timeline.emit({
      kind: "run-end",
      verdict: final.verdict,
      pass: final.pass,
      reason: final.reason,
      durationMs: record.durationMs,
    });
    writeRunRecord(runDir, record);
    timeline.close();
  }
  return { runDir, record };
}
