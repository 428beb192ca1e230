// Evaluates `expect.checks` over the probe samples taken so far: which hold, which can no longer change, and why.
import { parseDuration } from "../plan/duration.ts";
import type { ProbeSample } from "../probes/probe-definition.ts";
import type { CheckSpec } from "../scenario/check-schema.ts";
import { checkName } from "./check-name.ts";
import { satisfies } from "./sample-predicate.ts";
import { relativeTime, sampleEvidence } from "./sample-evidence.ts";

/** The outcome of one check at one moment of observation. */
export interface CheckResult {
  check: CheckSpec;
  name: string;
  holds: boolean;
  /** True when more samples cannot change `holds` (e.g. `ever` satisfied, `never` violated, or observation over). */
  settled: boolean;
  /** The samples that decided it (node, time since observation started, value, lines) and failed samples. */
  evidence: string[];
  /** Samples of the check's probe that counted (inside `within`), failed ones included. */
  samplesSeen: number;
  /** Of those, the samples that gave a value (a probe whose every sample failed gives 0: evidence missing). */
  valuesSeen: number;
}

function lastPerNode(samples: ProbeSample[]): ProbeSample[] {
  const byNode = new Map<string, ProbeSample>();
  for (const s of samples) byNode.set(s.node, s);
  return [...byNode.values()];
}

function failedReports(samples: ProbeSample[], start: number): string[] {
  const failed = samples.filter((s) => s.value === null);
  if (failed.length === 0) return [];
  const last = failed.at(-1)!;
  return [
    `${failed.length} sample(s) failed and count as not satisfied; last: ${sampleEvidence(last, start).join(" ")}`,
  ];
}

function evaluateOne(check: CheckSpec, all: ProbeSample[], start: number, final: boolean): CheckResult {
  const name = checkName(check);
  const ofProbe = all.filter((s) => s.probe === check.probe).sort((a, b) => a.at - b.at);
  const windowEnd = check.within === undefined ? Infinity : start + parseDuration(check.within);
  const samples = ofProbe.filter((s) => s.at <= windowEnd);
  const closed = final || ofProbe.some((s) => s.at > windowEnd);
  const valid = samples.filter((s) => s.value !== null);
  const hits = valid.filter((s) => satisfies(check, s));
  const misses = samples.filter((s) => !satisfies(check, s));
  const seen = { check, name, samplesSeen: samples.length, valuesSeen: valid.length };
  const show = (s: ProbeSample) => sampleEvidence(s, start);
  const windowNote =
    check.within === undefined ? "" : ` within ${check.within} (until ${relativeTime(windowEnd, start)})`;
  if (samples.length === 0)
    return {
      ...seen,
      holds: false,
      settled: closed,
      evidence: [`no samples of probe ${check.probe}${windowNote}`],
    };
  const failures = failedReports(samples, start);

  switch (check.holds) {
    case "ever": {
      const first = hits[0];
      if (first) return { ...seen, holds: true, settled: true, evidence: show(first) };
      const lasts = lastPerNode(samples).flatMap(show);
      return {
        ...seen,
        holds: false,
        settled: closed,
        evidence: [
          `none of ${samples.length} sample(s) satisfied${windowNote}; last:`,
          ...lasts,
          ...failures,
        ],
      };
    }
    case "never": {
      const first = hits[0];
      if (first) return { ...seen, holds: false, settled: true, evidence: show(first) };
      if (valid.length === 0)
        return { ...seen, holds: false, settled: closed, evidence: ["no sample gave a value", ...failures] };
      const lasts = lastPerNode(valid).flatMap(show);
      return {
        ...seen,
        holds: true,
        settled: closed,
        evidence: [`none of ${valid.length} sample(s) satisfied${windowNote}; last:`, ...lasts, ...failures],
      };
    }
    case "always": {
      const miss = misses[0];
      if (miss)
        return { ...seen, holds: false, settled: true, evidence: ["not satisfied by:", ...show(miss)] };
      const lasts = lastPerNode(samples).flatMap(show);
      return {
        ...seen,
        holds: true,
        settled: closed,
        evidence: [`all ${samples.length} sample(s) satisfied${windowNote}; last:`, ...lasts],
      };
    }
    case "last": {
      const lasts = lastPerNode(samples);
      const holds = lasts.every((s) => satisfies(check, s));
      return { ...seen, holds, settled: closed, evidence: lasts.flatMap(show) };
    }
  }
}

/**
 * Evaluates every check over the samples so far. `observeStartedAt` (host ms) anchors `within` and evidence
 * times; `final` says observation is over, which settles every check. Samples may come from several nodes:
 * `ever`/`never`/`always` look at all of them, `last` at each node's latest.
 */
export function evaluateChecks(
  checks: CheckSpec[],
  samples: ProbeSample[],
  observeStartedAt: number,
  final: boolean,
): CheckResult[] {
  return checks.map((c) => evaluateOne(c, samples, observeStartedAt, final));
}

/** True when no check's outcome can change any more: the runner may stop observing early. */
export function allSettled(results: CheckResult[]): boolean {
  return results.every((r) => r.settled);
}
