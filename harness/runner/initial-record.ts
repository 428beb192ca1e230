// The run.json a run starts with: valid on disk from the first moment, saying `aborted` until the run ends.
import type { Plan } from "../plan/plan.ts";
import type { RunRecord } from "../reports/run-record.ts";
import type { ScenarioCell } from "../scenario/matrix.ts";

/** A record for a run that has just started (verdict aborted, complete false: what a killed harness leaves). */
export function initialRecord(
  cell: ScenarioCell,
  plan: Plan,
  run: { runId: string; startedAt: number; provider: string; harnessVersion: string; repetition: number },
): RunRecord {
  return {
    recordVersion: 1,
    runId: run.runId,
    scenario: plan.scenario,
    cellId: plan.cellId,
    labels: plan.labels,
    file: cell.file,
    description: plan.description,
    links: plan.links,
    provider: run.provider,
    harnessVersion: run.harnessVersion,
    repetition: run.repetition,
    startedAt: run.startedAt,
    endedAt: null,
    durationMs: 0,
    complete: false,
    expect: plan.expect,
    verdict: "aborted",
    pass: false,
    reason: "the run has not finished: the harness is still running or was killed",
    evidence: [],
    checks: [],
    steps: [],
    phases: [],
    machines: plan.machines.map((m) => ({
      name: m.name,
      role: m.role,
      cpus: m.cpus,
      memoryMiB: m.memoryMiB,
      kept: false,
    })),
    artifacts: [],
    nodes: {},
    versionMismatches: [],
  };
}
