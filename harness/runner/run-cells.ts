// Runs many cells (and repetitions): at most `parallel` at once, and never more than host memory allows.
import type { Plan } from "../plan/plan.ts";
import type { ScenarioCell } from "../scenario/matrix.ts";
import type { TimelineListener } from "../timeline/timeline.ts";
import { planMemoryMiB } from "./memory-budget.ts";
import { runCell, type CellRun } from "./run-cell.ts";
import type { RunOptions, RunnerDeps } from "./runner-deps.ts";

/** One run to do: a cell's plan and which repetition it is. */
export interface RunJob {
  cell: ScenarioCell;
  plan: Plan;
  repetition: number;
  /** Label for the console: the cell id, with `#n` for repetitions. */
  label: string;
}

/** Scheduling limits. */
export interface Schedule {
  parallel: number;
  /** Memory the runs may use together, MiB. */
  memoryBudgetMiB: number;
  /** Told when a job waits for memory or needs more than the whole budget. */
  notice?: (message: string) => void;
}

/** The jobs for cells x repetitions, in order: every repetition of a cell follows the previous one. */
export function jobsOf(items: { cell: ScenarioCell; plan: Plan }[], repeat: number): RunJob[] {
  return items.flatMap(({ cell, plan }) =>
    Array.from({ length: repeat }, (_, i) => ({
      cell,
      plan,
      repetition: i + 1,
      label: repeat > 1 ? `${cell.id}#${i + 1}` : cell.id,
    })),
  );
}

/** Runs the jobs; after an abort no new job starts (their runs are not created). Results in job order. */
export async function runJobs(
  jobs: RunJob[],
  deps: RunnerDeps,
  schedule: Schedule,
  base: Omit<RunOptions, "repetition" | "listeners">,
  listenerFor: (job: RunJob) => TimelineListener[],
): Promise<CellRun[]> {
  const results: (CellRun | undefined)[] = new Array<CellRun | undefined>(jobs.length);
  const pending = jobs.map((job, index) => ({ job, index }));
  let running = 0;
  let usedMiB = 0;
  let warnedWaiting = false;
  return new Promise<CellRun[]>((resolve, reject) => {
    const pump = () => {
      if (base.signal.aborted) pending.length = 0;
      while (pending.length > 0 && running < schedule.parallel) {
        const next = pending[0]!;
        const need = planMemoryMiB(next.job.plan);
        if (running > 0 && usedMiB + need > schedule.memoryBudgetMiB) {
          if (!warnedWaiting) {
            schedule.notice?.(
              `waiting for memory: ${next.job.label} needs ${need} MiB, ${schedule.memoryBudgetMiB - usedMiB} MiB of the ${schedule.memoryBudgetMiB} MiB budget are free`,
            );
            warnedWaiting = true;
          }
          break;
        }
        if (running === 0 && need > schedule.memoryBudgetMiB)
          schedule.notice?.(
            `${next.job.label} needs ${need} MiB but only ${schedule.memoryBudgetMiB} MiB are available: running it alone`,
          );
        pending.shift();
        running += 1;
        usedMiB += need;
        runCell(next.job.cell, next.job.plan, deps, {
          ...base,
          repetition: next.job.repetition,
          listeners: listenerFor(next.job),
        })
          .then((r) => {
            results[next.index] = r;
          })
          .catch(reject)
          .finally(() => {
            running -= 1;
            usedMiB -= need;
            pump();
          });
      }
      if (running === 0 && pending.length === 0)
        resolve(results.filter((r): r is CellRun => r !== undefined));
    };
    pump();
  });
}
