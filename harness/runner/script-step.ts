// Runs a script step: uploads its artifacts, then its script on every node in parallel, with timeout and retries.
import { commandEvent } from "./command-event.ts";
import { describeError } from "../errors.ts";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import pRetry, { AbortError } from "p-retry";
import type { StepPlan } from "../plan/plan.ts";
import type { StepOutcome } from "../timeline/events.ts";
import { machineLogDir, transportOf, type CellContext } from "./cell-context.ts";
import { stepOutcome, type NodeRun } from "./step-outcome.ts";
import { redactWrittenText } from "../secrets/written-text.ts";

/** A plan step of kind script. */
export type ScriptStep = Extract<StepPlan, { kind: "script" }>;

/** How a script step ended, with every node's last run (fed to `step` probes). */
export interface ScriptStepResult {
  outcome: StepOutcome;
  message?: string;
  attempts: number;
  runs: NodeRun[];
}

/**
 * The command that runs a script sent on stdin, named after the step so bash's errors say which one
 * (`/tmp/harness-workload--kill.sh.123: line 3: ...`). The script is written to a file first (bash builtins only,
 * no extra processes; noclobber refuses an existing file) and runs with stdin from /dev/null, so its own
 * commands cannot swallow the rest of it.
 */
export function scriptRunner(name: string): string {
  const file = `/tmp/harness-${name.replace(/[^A-Za-z0-9._-]/g, "_")}.$$`;
  return `f=${file}; set -C; IFS= read -r -d '' s; printf '%s' "$s" > "$f" || exit 125; set +C; bash "$f" </dev/null; rc=$?; rm -f "$f"; exit $rc`;
}

/** File name of a step's rendered script under logs/<machine>/scripts/. */
export function scriptFileName(step: Pick<StepPlan, "phase" | "name">): string {
  return `${step.phase}--${step.name}.sh`;
}

async function runOnNode(
  step: ScriptStep,
  node: string,
  script: string,
  ctx: CellContext,
  attempt: number,
): Promise<NodeRun> {
  if (ctx.signal.aborted) return { node, aborted: true };
  const transport = transportOf(ctx, node);
  for (const use of step.uploads) {
    const artifact = ctx.artifacts.get(use.artifact);
    if (!artifact) return { node, infraError: `artifact ${use.artifact} was not resolved before the step` };
    try {
      await transport.upload(artifact.path, use.to, use.mode);
    } catch (err) {
      return {
        node,
        infraError: `upload of ${use.artifact} to ${use.to} failed: ${describeError(err)}`,
      };
    }
  }
  const result = await transport.exec(scriptRunner(scriptFileName(step)), {
    timeoutMs: step.timeoutMs,
    stdin: script,
    signal: ctx.signal,
    onLine: (stream, line) => ctx.timeline.emit({ kind: "output", node, step: step.id, stream, line }),
  });
  ctx.timeline.emit(
    commandEvent(result, {
      node: node,
      purpose: attempt > 1 ? `${step.id} (attempt ${attempt})` : step.id,
      command: `bash ${scriptFileName(step)}`,
      stderrLines: 10,
    }),
  );
  return { node, result };
}

/** Saves each node's rendered script under logs/<machine>/scripts/ (what ran, byte for byte). */
async function saveScripts(step: ScriptStep, ctx: CellContext): Promise<void> {
  for (const run of step.runs) {
    const dir = path.join(machineLogDir(ctx, run.node), "scripts");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, scriptFileName(step)), redactWrittenText(run.script), { mode: 0o644 });
  }
}

/** Outcomes worth another attempt under the step's retry policy. */
function retryable(outcome: StepOutcome, step: ScriptStep): boolean {
  if (step.retry.kind === "infra") return outcome === "infra-failure";
  return step.expect === "success" && (outcome === "failed" || outcome === "timed-out");
}

class AttemptFailed extends Error {
  constructor(readonly result: ScriptStepResult) {
    super(result.message ?? result.outcome);
  }
}

/** Runs the step (all nodes in parallel) with its retry policy; every failed attempt is a `retry` event. */
export async function runScriptStep(step: ScriptStep, ctx: CellContext): Promise<ScriptStepResult> {
  await saveScripts(step, ctx);
  let attempts = 0;
  const attempt = async (): Promise<ScriptStepResult> => {
    attempts += 1;
    const runs = await Promise.all(step.runs.map((r) => runOnNode(step, r.node, r.script, ctx, attempts)));
    const { outcome, message } = stepOutcome(runs, step.expect, ctx.signal.aborted);
    const result: ScriptStepResult = {
      outcome,
      attempts,
      runs,
      ...(message !== undefined ? { message } : {}),
    };
    if (attempts <= step.retry.retries && retryable(outcome, step) && !ctx.signal.aborted)
      throw new AttemptFailed(result);
    return result;
  };
  try {
    return await pRetry(attempt, {
      retries: step.retry.retries,
      minTimeout: step.retry.delayMs,
      factor: 1,
      signal: ctx.signal,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        ctx.timeline.emit({
          kind: "retry",
          step: step.id,
          attempt: attemptNumber,
          retriesLeft,
          error: error.message,
        });
      },
      shouldRetry: ({ error }) => error instanceof AttemptFailed && !ctx.signal.aborted,
    });
  } catch (err) {
    if (err instanceof AttemptFailed) return { ...err.result, attempts };
    if (err instanceof AbortError || ctx.signal.aborted) return { outcome: "aborted", attempts, runs: [] };
    throw err;
  }
}
