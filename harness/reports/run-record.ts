// run.json: the record of one run, written atomically by the runner and read by every reporter.
import { renameSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { PhaseName } from "../plan/phases.ts";
import type { CheckResultRecord, StepOutcome, Verdict } from "../timeline/events.ts";
import { redactWrittenValue } from "../secrets/written-text.ts";

/** One step as run.json records it. */
export interface StepRecord {
  id: string;
  name: string;
  phase: PhaseName;
  nodes: string[];
  outcome: StepOutcome;
  startedAt: number | null;
  durationMs: number;
  attempts: number;
  /** A script step's rendered script, saved as logs/<node>/scripts/<script> for each of its nodes. */
  script?: string;
  /** The real failure: stderr tail, timeout, dropped connection. */
  message?: string;
}

/** One machine of the run, and how to reach it when it was kept. */
export interface MachineRecordEntry {
  name: string;
  role: string;
  cpus: number;
  memoryMiB: number;
  providerId?: string;
  kept: boolean;
  /** An ssh command line that reaches the machine while it is kept. */
  sshCommand?: string;
}

/** The whole record of one run (one cell, one repetition). */
export interface RunRecord {
  recordVersion: 1;
  runId: string;
  scenario: string;
  cellId: string;
  labels: Record<string, string>;
  file: string;
  description: string;
  links: string[];
  provider: string;
  harnessVersion: string;
  /** 1-based repetition number when the cell ran with --repeat. */
  repetition: number;
  startedAt: number;
  endedAt: number | null;
  durationMs: number;
  /** False until the run ended: a killed harness leaves verdict `aborted` with complete false. */
  complete: boolean;
  expect: "reproduced" | "healthy";
  verdict: Verdict;
  pass: boolean;
  /** One sentence: why this verdict. */
  reason: string;
  /** The lines that decided the verdict (check evidence, failing step's stderr). */
  evidence: string[];
  checks: CheckResultRecord[];
  steps: StepRecord[];
  phases: { name: PhaseName; startedAt: number; durationMs: number }[];
  machines: MachineRecordEntry[];
  /** Artifacts the host resolved: the versions the scenario pinned. */
  artifacts: { key: string; resolvedVersion: string; sha256: string }[];
  /** Host-built payloads the images carried: their cache keys and what they hold (versions, image digests). */
  builds?: { name: string; key: string; facts: Record<string, string> }[];
  /** Versions and facts as reported by each node's fingerprint (what actually ran). */
  nodes: Record<string, { clockOffsetMs: number | null; facts: Record<string, string> }>;
  /** Version mismatches between what was pinned and what the nodes report. */
  versionMismatches: string[];
}

/** Writes run.json atomically (temp file + rename), synchronously so it also works from a signal path. */
export function writeRunRecord(runDir: string, record: RunRecord): void {
  const file = path.join(runDir, "run.json");
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(redactWrittenValue(record), null, 2)}\n`);
  renameSync(tmp, file);
}

/** Reads a run's run.json. */
export async function readRunRecord(runDir: string): Promise<RunRecord> {
  return JSON.parse(await readFile(path.join(runDir, "run.json"), "utf8")) as RunRecord;
}
