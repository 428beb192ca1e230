// Adapts harness/checks (evaluateChecks, allSettled) to the runner's ChecksEvaluator and run.json's check records.
import { allSettled, evaluateChecks, type CheckResult } from "../checks/evaluate-checks.ts";
import { decideVerdict } from "../checks/decide-verdict.ts";
import type { CheckResultRecord } from "../timeline/events.ts";
import type { ChecksEvaluator } from "./runner-deps.ts";

/** A check result as run.json and the reports record it. */
export function checkRecord(r: CheckResult): CheckResultRecord {
  const evidenceMissing = !r.holds && r.valuesSeen === 0;
  const over = `over ${r.samplesSeen} sample(s)${r.settled ? "" : ", not settled"}`;
  return {
    name: r.name,
    probe: r.check.probe,
    held: r.holds,
    reason: evidenceMissing
      ? `evidence missing: probe ${r.check.probe} gave no value ${over}`
      : `${r.holds ? "holds" : "fails"} ${over}`,
    evidence: r.evidence,
    evidenceMissing,
  };
}

/** The evaluator the runner uses. */
export const checksEvaluator: ChecksEvaluator = (expect, checks, samples, observeStartedAt, final) => {
  const results = evaluateChecks(checks, samples, observeStartedAt, final);
  const decision = decideVerdict(expect, results);
  return {
    results: results.map(checkRecord),
    settled: allSettled(results),
    verdict: decision.verdict,
    evidence: decision.evidence,
  };
};
