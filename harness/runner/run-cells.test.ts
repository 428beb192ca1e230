import { localDirDeps } from "./testing/local-dir-deps.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jobsOf, runJobs } from "./run-cells.ts";
import type { RunnerDeps } from "./runner-deps.ts";
import { LocalDirProvider } from "./testing/local-dir-provider.ts";
import { localCell } from "./testing/local-cell.ts";

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "run-cells-"));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function deps(): RunnerDeps {
  return localDirDeps(new LocalDirProvider(path.join(work, "machines")), "test");
}

const item = () =>
  localCell({
    steps: [{ name: "w", phase: "workload", run: "sleep 0.3" }],
    observe: {
      duration: "200ms",
      interval: "100ms",
      probes: [{ name: "p", kind: "command", run: "echo 1" }],
    },
    expect: { verdict: "reproduced", checks: [{ probe: "p", equals: "1" }] },
  });

/** Largest number of runs whose create and destroy overlapped. */
function maxOverlap(
  records: { steps: { id: string; startedAt: number | null; durationMs: number }[] }[],
): number {
  const spans = records.map((r) => {
    const c = r.steps.find((s) => s.id === "create/machines")!;
    const d = r.steps.find((s) => s.id === "destroy/machines")!;
    return [c.startedAt!, d.startedAt! + d.durationMs] as const;
  });
  return Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
}

describe("runJobs", () => {
  it("repeats a cell and labels the repetitions", () => {
    expect(jobsOf([item()], 3).map((j) => [j.label, j.repetition])).toEqual([
      ["local-test#1", 1],
      ["local-test#2", 2],
      ["local-test#3", 3],
    ]);
  });

  it.each([
    { parallel: 3, budget: 100_000, overlap: 3, waits: false },
    { parallel: 3, budget: 600, overlap: 1, waits: true },
    { parallel: 1, budget: 100_000, overlap: 1, waits: false },
  ])(
    "parallel $parallel with $budget MiB -> at most $overlap at once",
    async ({ parallel, budget, overlap, waits }) => {
      const notices: string[] = [];
      const runs = await runJobs(
        jobsOf([item()], 3),
        deps(),
        { parallel, memoryBudgetMiB: budget, notice: (m) => notices.push(m) },
        {
          resultsDir: path.join(work, "results"),
          keep: "never",
          signal: new AbortController().signal,
          teardownDeadlineMs: 5_000,
        },
        () => [],
      );
      expect(runs.map((r) => r.record.repetition)).toEqual([1, 2, 3]);
      expect(runs.every((r) => r.record.verdict === "reproduced")).toBe(true);
      expect(maxOverlap(runs.map((r) => r.record))).toBe(overlap);
      expect(notices.some((n) => n.startsWith("waiting for memory"))).toBe(waits);
    },
    30_000,
  );

  it("starts no new run after an abort", async () => {
    const controller = new AbortController();
    controller.abort("SIGINT");
    const runs = await runJobs(
      jobsOf([item()], 2),
      deps(),
      { parallel: 1, memoryBudgetMiB: 100_000 },
      {
        resultsDir: path.join(work, "results"),
        keep: "never",
        signal: controller.signal,
        teardownDeadlineMs: 5_000,
      },
      () => [],
    );
    expect(runs).toEqual([]);
  });
});
