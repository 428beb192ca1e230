// Turns check results into a run's verdict: all checks hold => the expected verdict, else its opposite.
import type { CheckResult } from "./evaluate-checks.ts";

/** What a run showed. */
export type Verdict = "reproduced" | "not-reproduced" | "healthy" | "unhealthy";

/** A verdict with the evidence behind it, check by check. */
export interface VerdictDecision {
  verdict: Verdict;
  /** True when the verdict is the one the scenario expects. */
  asExpected: boolean;
  /** `holds: <check>` / `FAILS: <check>` lines, each followed by that check's evidence, indented. */
  evidence: string[];
}

/** Decides the verdict: `reproduced` (or `healthy`) when every check holds, else `not-reproduced` (or `unhealthy`). */
export function decideVerdict(expect: "reproduced" | "healthy", results: CheckResult[]): VerdictDecision {
  const allHold = results.length > 0 && results.every((r) => r.holds);
  const verdict: Verdict =
    expect === "reproduced" ? (allHold ? "reproduced" : "not-reproduced") : allHold ? "healthy" : "unhealthy";
  const evidence = results.flatMap((r) => [
    `${r.holds ? "holds" : "FAILS"}: ${r.name}`,
    ...r.evidence.map((line) => `  ${line}`),
  ]);
  return { verdict, asExpected: allHold, evidence };
}
