// Evidence at the time it happened: a sampled line that carries the guest's own timestamp also says when that was
// on the host clock (the node's measured clock offset taken out) and during which step.
import { relativeTime } from "../checks/sample-evidence.ts";
import { loggedAt } from "./logged-at.ts";
import type { RunRecord } from "./run-record.ts";

/** `[cp1 +91.4s]   <quoted line>`: a supporting line of a sample, as sampleEvidence writes it. */
const quotedLine = /^(\s*)\[([A-Za-z0-9._-]{1,63}) [+-]\d+\.\ds\] {3}(.*)$/;

/** The step running at host time `at` (the latest to start, when steps overlap), or null. */
function stepAt(at: number, run: Pick<RunRecord, "steps">): string | null {
  let found: { id: string; startedAt: number } | null = null;
  for (const s of run.steps) {
    if (s.startedAt === null || at < s.startedAt || at > s.startedAt + s.durationMs) continue;
    if (found === null || s.startedAt >= found.startedAt) found = { id: s.id, startedAt: s.startedAt };
  }
  return found?.id ?? null;
}

/** A quoted evidence line placed on the host clock: when its node logged it, and the step that was running. */
export interface LoggedEvidence {
  /** Index of the line in the evidence list. */
  index: number;
  node: string;
  /** The quoted line, as the guest wrote it. */
  line: string;
  /** The guest's own timestamp, ms since the epoch on the guest's clock. */
  guestAt: number;
  /** Host time, ms since the epoch (the guest's timestamp minus the node's clock offset). */
  at: number;
  step: string | null;
}

/**
 * The quoted lines that start with a guest timestamp, on the host clock. The offset is the sampling node's: an
 * event another node's kubelet stamped is placed with it too. Lines of nodes without a measured offset, and lines
 * without a timestamp, are not placed.
 */
export function loggedEvidence(
  lines: readonly string[],
  run: Pick<RunRecord, "steps" | "nodes">,
): LoggedEvidence[] {
  const placed: LoggedEvidence[] = [];
  lines.forEach((line, index) => {
    const m = quotedLine.exec(line);
    if (!m || m[2] === undefined || m[3] === undefined) return;
    const offset = run.nodes[m[2]]?.clockOffsetMs;
    const guest = loggedAt(m[3]);
    if (offset === null || offset === undefined || guest === null) return;
    const at = guest - offset;
    placed.push({ index, node: m[2], line: m[3], guestAt: guest, at, step: stepAt(at, run) });
  });
  return placed;
}

/**
 * Appends `<- logged +12.3s, during workload/kill` to each quoted line that starts with a guest timestamp (see
 * loggedEvidence): the time counts from `observeStartedAt` like the sample's own.
 */
export function withLoggedTimes(
  lines: readonly string[],
  run: Pick<RunRecord, "steps" | "nodes">,
  observeStartedAt: number,
): string[] {
  const placed = new Map(loggedEvidence(lines, run).map((e) => [e.index, e]));
  return lines.map((line, i) => {
    const e = placed.get(i);
    if (e === undefined) return line;
    return `${line}  <- logged ${relativeTime(e.at, observeStartedAt)}${e.step === null ? "" : `, during ${e.step}`}`;
  });
}

/** When observation started (the observe step's start, else the observe phase's), which sample times count from. */
export function observationStart(run: Pick<RunRecord, "steps" | "phases">): number | null {
  return (
    run.steps.find((st) => st.phase === "observe" && st.startedAt !== null)?.startedAt ??
    run.phases.find((p) => p.name === "observe")?.startedAt ??
    null
  );
}

/** The run's evidence lines, each quoted guest line with its logged time and step (as is without observation). */
export function runEvidence(run: Pick<RunRecord, "steps" | "phases" | "nodes" | "evidence">): string[] {
  const start = observationStart(run);
  return start === null ? run.evidence : withLoggedTimes(run.evidence, run, start);
}
