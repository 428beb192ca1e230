// Pure: the harness's exit code for a set of runs (documented in README.md).
import { ExitCode } from "../errors.ts";
import type { Verdict } from "../timeline/events.ts";

/**
 * 130 when interrupted (or any run aborted); else 4 when any run hit an infrastructure failure; else 3 when any
 * run ended in error; else 1 when any verdict differs from its expectation; else 0.
 */
export function exitCodeOf(runs: { verdict: Verdict; pass: boolean }[], interrupted: boolean): number {
  if (interrupted || runs.some((r) => r.verdict === "aborted")) return ExitCode.aborted;
  if (runs.some((r) => r.verdict === "infra-failure")) return ExitCode.infra;
  if (runs.some((r) => r.verdict === "error")) return ExitCode.error;
  if (runs.some((r) => !r.pass)) return ExitCode.verdictMismatch;
  return ExitCode.ok;
}
