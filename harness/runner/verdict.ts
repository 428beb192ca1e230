// Pure: decides a run's verdict from what happened (interrupt, infrastructure, steps, versions, checks).
import type { StepOutcome, Verdict } from "../timeline/events.ts";
import type { ChecksEvaluation } from "./runner-deps.ts";

/** Everything the verdict depends on. */
export interface VerdictInput {
  expect: "reproduced" | "healthy";
  aborted: boolean;
  /** Infrastructure failures: boot, SSH, downloads, dropped connections. */
  infraFailures: string[];
  /** Steps whose outcome was not what the plan expected. */
  failedSteps: { id: string; outcome: StepOutcome; message?: string }[];
  /** Installed versions that differ from what the scenario pinned. */
  versionMismatches: string[];
  /** The final evaluation of the checks; null when observation never happened. */
  checks: Pick<ChecksEvaluation, "results" | "verdict" | "evidence"> | null;
}

/** A verdict with the reason and the lines that decided it. */
export interface VerdictDecision {
  verdict: Verdict;
  pass: boolean;
  reason: string;
  evidence: string[];
}

function failedStepReason(step: VerdictInput["failedSteps"][number]): string {
  const what =
    step.outcome === "unexpected-success"
      ? "succeeded but must fail"
      : step.outcome === "timed-out"
        ? "timed out"
        : "failed";
  return `step ${step.id} ${what}: the scenario could not be carried out`;
}

/**
 * Precedence: aborted, infra-failure, error (an unexpected step result, installed versions that are not the
 * pinned ones, or a check whose probe never gave a value), then the checks' verdict. Pass means the verdict is the expected one.
 */
export function decideRunVerdict(input: VerdictInput): VerdictDecision {
  const decide = (verdict: Verdict, reason: string, evidence: string[]): VerdictDecision => ({
    verdict,
    pass: verdict === input.expect,
    reason,
    evidence,
  });
  if (input.aborted) return decide("aborted", "the run was interrupted before it finished", []);
  if (input.infraFailures.length > 0)
    return decide(
      "infra-failure",
      "the infrastructure failed (boot, connection or download), so the run says nothing about the bug",
      input.infraFailures.flatMap((l) => l.split("\n")),
    );
  const first = input.failedSteps[0];
  if (first)
    return decide(
      "error",
      failedStepReason(first),
      input.failedSteps.flatMap((s) => [
        `${s.id}: ${s.outcome}`,
        ...(s.message ?? "").split("\n").filter(Boolean),
      ]),
    );
  if (input.versionMismatches.length > 0)
    return decide(
      "error",
      "the nodes run versions other than the ones the scenario pinned",
      input.versionMismatches,
    );
  if (input.checks === null || input.checks.results.length === 0)
    return decide("error", "no checks were evaluated: observation did not happen", []);
  const missing = input.checks.results.filter((c) => c.evidenceMissing);
  if (missing.length > 0)
    return decide(
      "error",
      `evidence missing: ${missing.map((c) => `probe ${c.probe} never gave a value for check "${c.name}"`).join("; ")}, so the checks decide nothing`,
      missing.flatMap((c) => [`${c.name}: ${c.reason}`, ...c.evidence.map((line) => `  ${line}`)]),
    );
  const failed = input.checks.results.filter((c) => !c.held);
  const reason =
    failed.length === 0
      ? `all ${input.checks.results.length} check(s) held`
      : `${failed.length} of ${input.checks.results.length} check(s) did not hold: ${failed.map((c) => c.name).join("; ")}`;
  return decide(input.checks.verdict, reason, input.checks.evidence);
}
