// The timeline's vocabulary: every event a run appends to events.ndjson, as one discriminated union.
import type { PhaseName } from "../plan/phases.ts";

/** How a cell ended; `pass` is separate: it says whether the verdict matches the expectation. */
export type Verdict =
  "reproduced" | "healthy" | "not-reproduced" | "unhealthy" | "error" | "infra-failure" | "aborted";

/** Every verdict, in the order reports list them. */
export const verdicts: readonly Verdict[] = [
  "reproduced",
  "healthy",
  "not-reproduced",
  "unhealthy",
  "error",
  "infra-failure",
  "aborted",
];

/** How one step (on all its nodes) ended. */
export type StepOutcome =
  | "passed"
  | "failed"
  | "expected-failure"
  | "tolerated-failure"
  | "unexpected-success"
  | "timed-out"
  | "infra-failure"
  | "aborted"
  | "skipped";

/** Outcomes that make a step count as failed in reports (junit, summary, timeline). */
export const failedOutcomes: ReadonlySet<StepOutcome> = new Set([
  "failed",
  "unexpected-success",
  "timed-out",
  "infra-failure",
]);

/** A check's result after evaluation. */
export interface CheckResultRecord {
  name: string;
  probe: string;
  held: boolean;
  /** Why it held or not, in words. */
  reason: string;
  /** The samples' lines that decided it. */
  evidence: string[];
  /** True when the check's probe never gave a value (no sample, or every sample failed): nothing was decided. */
  evidenceMissing: boolean;
}

/** Fields every event has: its kind and the host-clock time (ms since the epoch). */
interface Base<K extends string> {
  kind: K;
  at: number;
}

/** The run (one cell, one repetition) starts. */
export interface RunStartEvent extends Base<"run-start"> {
  runId: string;
  scenario: string;
  cellId: string;
  labels: Record<string, string>;
  expect: "reproduced" | "healthy";
  provider: string;
  harnessVersion: string;
  machines: { name: string; role: string; cpus: number; memoryMiB: number }[];
}

/** The run ends with a verdict. */
export interface RunEndEvent extends Base<"run-end"> {
  verdict: Verdict;
  pass: boolean;
  reason: string;
  durationMs: number;
}

/** A phase of the plan starts. */
export interface PhaseStartEvent extends Base<"phase-start"> {
  phase: PhaseName;
}

/** A phase of the plan ends. */
export interface PhaseEndEvent extends Base<"phase-end"> {
  phase: PhaseName;
  durationMs: number;
  failed: boolean;
}

/** A step starts on its nodes. */
export interface StepStartEvent extends Base<"step-start"> {
  step: string;
  phase: PhaseName;
  nodes: string[];
  description: string;
  timeoutMs: number;
  expect: "success" | "failure" | "any";
}

/** A step ends; `message` is the real failure (stderr tail, timeout, dropped connection). */
export interface StepEndEvent extends Base<"step-end"> {
  step: string;
  phase: PhaseName;
  outcome: StepOutcome;
  durationMs: number;
  attempts: number;
  message?: string;
}

/** One command finished on one node (script, probe, log collection, upload). */
export interface CommandEvent extends Base<"command"> {
  node: string;
  /** The step, probe or collector the command belongs to. */
  purpose: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  startedAt: number;
  durationMs: number;
  timedOut: boolean;
  transportError?: string;
  stderrTail: string[];
}

/** A line of a step's output. */
export interface OutputEvent extends Base<"output"> {
  node: string;
  step: string;
  stream: "stdout" | "stderr";
  line: string;
}

/** One sample of a probe on one node. */
export interface ProbeEvent extends Base<"probe"> {
  probe: string;
  node: string;
  value: number | string | boolean | null;
  evidence: string[];
  error?: string;
}

/** A Kubernetes event seen by an `events` probe. */
export interface KubeEventEvent extends Base<"kube-event"> {
  node: string;
  probe: string;
  line: string;
}

/** A failed attempt that will be retried. */
export interface RetryEvent extends Base<"retry"> {
  step: string;
  node?: string;
  attempt: number;
  retriesLeft: number;
  error: string;
}

/** Something went wrong; `infra` marks infrastructure failures (boot, SSH, downloads). */
export interface ErrorEvent extends Base<"error"> {
  step?: string;
  node?: string;
  message: string;
  infra: boolean;
}

/** A machine changed state (creating, booted, ssh-ready, destroyed, kept...). */
export interface MachineEvent extends Base<"machine"> {
  machine: string;
  state: string;
  detail?: string;
}

/** A progress line of a host-side build a run waits for (Kubernetes from source, container images, a node image). */
export interface BuildEvent extends Base<"build"> {
  line: string;
}

/** An artifact was resolved into the host cache. */
export interface ArtifactEvent extends Base<"artifact"> {
  key: string;
  resolvedVersion: string;
  sha256: string;
  path: string;
}

/** The host downloaded a file for an artifact (cache misses only). */
export interface DownloadEvent extends Base<"download"> {
  key: string;
  url: string;
  bytes: number;
  durationMs: number;
}

/** A node's environment fingerprint and its clock offset against the host. */
export interface FingerprintEvent extends Base<"fingerprint"> {
  node: string;
  /** Guest clock minus host clock, ms (positive: the guest is ahead). */
  clockOffsetMs: number | null;
  facts: Record<string, string>;
}

/** The checks were evaluated. */
export interface ChecksEvent extends Base<"checks"> {
  results: CheckResultRecord[];
}

/** The signal the user sent, and what the runner does about it. */
export interface InterruptEvent extends Base<"interrupt"> {
  signal: string;
}

/** Any event of the timeline. */
export type TimelineEvent =
  | RunStartEvent
  | RunEndEvent
  | PhaseStartEvent
  | PhaseEndEvent
  | StepStartEvent
  | StepEndEvent
  | CommandEvent
  | OutputEvent
  | ProbeEvent
  | KubeEventEvent
  | RetryEvent
  | ErrorEvent
  | MachineEvent
  | ArtifactEvent
  | BuildEvent
  | DownloadEvent
  | FingerprintEvent
  | ChecksEvent
  | InterruptEvent;

/** An event before the timeline stamps it with the clock. */
export type UnstampedEvent = TimelineEvent extends infer E
  ? E extends TimelineEvent
    ? Omit<E, "at"> & { at?: number }
    : never
  : never;
