// How samples appear in a check's evidence: node, time since observation started, value, supporting lines.
import type { ProbeSample } from "../probes/probe-definition.ts";

/** Most supporting lines quoted per sample. */
export const linesPerSample = 5;

/** `+12.3s` / `-4.0s`: when the sample was taken relative to the start of observation. */
export function relativeTime(at: number, observeStartedAt: number): string {
  const s = (at - observeStartedAt) / 1000;
  return `${s < 0 ? "-" : "+"}${Math.abs(s).toFixed(1)}s`;
}

/** Evidence lines of one sample: `[node +t] value 3` then up to linesPerSample of its lines (the last ones). */
export function sampleEvidence(sample: ProbeSample, observeStartedAt: number): string[] {
  const where = `[${sample.node} ${relativeTime(sample.at, observeStartedAt)}]`;
  if (sample.value === null) {
    const why = sample.error ?? sample.evidence.join(" / ");
    return [`${where} probe failed, no value${why === "" ? "" : `: ${why}`}`];
  }
  const head = `${where} value ${JSON.stringify(sample.value)}`;
  const lines = sample.evidence.slice(-linesPerSample).map((l) => `${where}   ${l}`);
  const skipped = sample.evidence.length - lines.length;
  return [head, ...(skipped > 0 ? [`${where}   (${skipped} earlier lines not shown)`] : []), ...lines];
}
