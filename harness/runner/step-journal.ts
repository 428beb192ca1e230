// Wraps every step: its start and end land in the timeline and run.json (flushed at the boundary), and a failure
// stops the steps that follow.
import type { StepPlan } from "../plan/plan.ts";
import { writeRunRecord, type RunRecord } from "../reports/run-record.ts";
import { failedOutcomes, type StepOutcome } from "../timeline/events.ts";
import type { Timeline } from "../timeline/timeline.ts";
import { scriptFileName } from "./script-step.ts";

/** What the journal needs to know of a step (plan steps, and the runner's own like create/artifacts). */
export type StepHead = Pick<StepPlan, "id" | "name" | "phase" | "description" | "timeoutMs" | "expect"> &
  Partial<Pick<StepPlan, "kind">>;

/** A step whose outcome was not what the plan expected. */
export interface FailedStep {
  id: string;
  outcome: StepOutcome;
  message?: string;
}

/** Ends a step: its outcome, how many attempts it took, and the real failure message. */
export type EndStep = (outcome: StepOutcome, attempts: number, message?: string) => void;

/** Nodes a plan step touches, for the timeline. */
export function stepNodes(step: StepPlan): string[] {
  switch (step.kind) {
    case "script":
    case "collect-logs":
      return step.runs.map((r) => r.node);
    case "create-machines":
    case "destroy-machines":
      return step.machines;
    case "observe":
      return [];
  }
}

/** The steps of one run, as they happen. */
export class StepJournal {
  readonly failedSteps: FailedStep[] = [];
  /** Set once a step failed (or was interrupted): later steps are skipped, except collect and destroy. */
  stopped = false;

  constructor(
    private readonly timeline: Timeline,
    private readonly record: RunRecord,
    private readonly runDir: string,
    /** The run's infrastructure failures, where infra-failure outcomes are added. */
    private readonly infraFailures: string[],
  ) {}

  /** Records the start; returns the function that records the end. */
  begin(step: StepHead, nodes: string[]): EndStep {
    const startedAt = this.timeline.now();
    this.timeline.emit({
      kind: "step-start",
      step: step.id,
      phase: step.phase,
      nodes,
      description: step.description,
      timeoutMs: step.timeoutMs,
      expect: step.expect,
    });
    return (outcome, attempts, message) => {
      const durationMs = this.timeline.now() - startedAt;
      const withMessage = message !== undefined ? { message } : {};
      this.timeline.emit({
        kind: "step-end",
        step: step.id,
        phase: step.phase,
        outcome,
        durationMs,
        attempts,
        ...withMessage,
      });
      this.record.steps.push({
        id: step.id,
        name: step.name,
        phase: step.phase,
        nodes,
        outcome,
        startedAt,
        durationMs,
        attempts,
        ...(step.kind === "script" ? { script: scriptFileName(step) } : {}),
        ...withMessage,
      });
      if (outcome === "infra-failure")
        this.infraFailures.push(`${step.id}: ${message ?? "infrastructure failure"}`);
      else if (failedOutcomes.has(outcome)) this.failedSteps.push({ id: step.id, outcome, ...withMessage });
      if (failedOutcomes.has(outcome) || outcome === "aborted") this.stopped = true;
      this.timeline.flush();
      writeRunRecord(this.runDir, this.record);
    };
  }

  /** Records a step that did not run. */
  skip(step: StepPlan): void {
    this.record.steps.push({
      id: step.id,
      name: step.name,
      phase: step.phase,
      nodes: stepNodes(step),
      outcome: "skipped",
      startedAt: null,
      durationMs: 0,
      attempts: 0,
    });
  }
}
