// `harness run` end to end: cells -> plans -> runs (parallel, repeated) -> reports -> exit code.
import path from "node:path";
import { planCell } from "../plan/planner.ts";
import type { AcceleratorRequest } from "../providers/qemu/accelerator.ts";
import { ConsoleProgress } from "../reports/console-progress.ts";
import { writeReports } from "../reports/write-reports.ts";
import { UsageError } from "../errors.ts";
import { catalogNamesTagged, resolveCells } from "../scenario/catalog.ts";
import type { ScenarioCell } from "../scenario/matrix.ts";
import { systemClock } from "../timeline/clock.ts";
import { generateRunKeyPair } from "../transport/ssh-keys.ts";
import { hostPayloadPreparer } from "./payload-preparer.ts";
import { hostArtifactResolver } from "./artifact-resolver.ts";
import { checksEvaluator } from "./checks-evaluator.ts";
import { exitCodeOf } from "./exit-code.ts";
import { environmentFingerprint } from "./fingerprint-reader.ts";
import { harnessVersion } from "./harness-version.ts";
import { watchInterrupts } from "./interrupt.ts";
import { availableMemoryMiB } from "./memory-budget.ts";
import { providerSetup } from "./provider-setup.ts";
import { jobsOf, runJobs } from "./run-cells.ts";
import type { KeepPolicy, RunnerDeps } from "./runner-deps.ts";

/** What `harness run` was asked to do. */
export interface RunRequest {
  /** Scenario references (names, files, cell ids); the scenarios with every one of `tags` are added. */
  refs: string[];
  tags: string[];
  cell?: string;
  filters: string[];
  /** `from: file` sources may name files outside the scenario's folder. */
  allowHostFiles: boolean;
  /** Most cells one scenario's matrix may expand to. */
  maxCells: number;
  provider: string;
  accel?: AcceleratorRequest;
  hostsFile?: string;
  keep: KeepPolicy;
  parallel: number;
  repeat: number;
  resultsDir: string;
  verbose: boolean;
  /** Seconds each teardown (log collection, destroy) may take. */
  teardownSeconds: number;
}

/** Where the console writes. */
export interface RunOutput {
  out: NodeJS.WriteStream;
  live: boolean;
  color: boolean;
}

/** The cells the request names: each reference's, then the tagged catalog scenarios', without repeats. */
async function selectedCells(req: RunRequest): Promise<ScenarioCell[]> {
  const refs = [...req.refs];
  if (req.tags.length > 0) {
    const tagged = await catalogNamesTagged(req.tags);
    if (tagged.length === 0)
      throw new UsageError(
        `no catalog scenario has every tag of ${req.tags.join(", ")}`,
        "see the tags with `harness list`",
      );
    refs.push(...tagged.filter((name) => !refs.includes(name)));
  }
  if (refs.length === 0)
    throw new UsageError(
      "name a scenario to run, or select some with --tag",
      "for example: harness run debian11-kubeadm",
    );
  const cells: ScenarioCell[] = [];
  for (const ref of refs) {
    const resolved = await resolveCells(ref, {
      cell: req.cell,
      filters: req.filters,
      allowHostFiles: req.allowHostFiles,
      maxCells: req.maxCells,
    });
    cells.push(...resolved.cells.filter((c) => !cells.some((x) => x.id === c.id)));
  }
  return cells;
}

/** Runs the request and resolves to the exit code; SIGINT/SIGTERM/SIGHUP/SIGQUIT abort (a second one exits at once with 130). */
export async function runScenarios(req: RunRequest, output: RunOutput): Promise<number> {
  const cells = await selectedCells(req);
  const setup = providerSetup(req.provider, {
    ...(req.accel !== undefined ? { accel: req.accel } : {}),
    ...(req.hostsFile !== undefined ? { hostsFile: req.hostsFile } : {}),
  });
  const items = cells.map((cell) => ({ cell, plan: planCell(cell, setup.recipes) }));
  const progress = new ConsoleProgress({
    out: output.out,
    live: output.live,
    color: output.color,
    verbose: req.verbose,
    clock: systemClock,
  });
  if (req.provider === "local-dir")
    progress.notice(
      "provider local-dir (test-only): machines are host directories; recipes are not rendered",
    );
  const interrupts = watchInterrupts(
    (sig) => progress.notice(`${sig}: stopping, tearing down machines (send ${sig} again to exit at once)`),
    (sig) => {
      output.out.write(`${sig} again: exiting now; run \`harness cleanup\` to remove what is left\n`);
      process.exit(130);
    },
  );
  const deps: RunnerDeps = {
    provider: setup.provider,
    connect: (machine, ctx) => setup.connect(machine, ctx),
    resolveArtifacts: hostArtifactResolver(),
    preparePayloads: hostPayloadPreparer(),
    fingerprint: setup.fingerprint ? environmentFingerprint : null,
    evaluateChecks: checksEvaluator,
    clock: systemClock,
    makeKeyPair: (dir) => generateRunKeyPair(dir, "harness-run"),
    harnessVersion: harnessVersion(),
  };
  try {
    const runs = await runJobs(
      jobsOf(items, req.repeat),
      deps,
      {
        parallel: req.parallel,
        memoryBudgetMiB: Math.floor(availableMemoryMiB() * 0.9),
        notice: (m) => progress.notice(m),
      },
      {
        resultsDir: req.resultsDir,
        keep: req.keep,
        signal: interrupts.signal,
        teardownDeadlineMs: req.teardownSeconds * 1000,
      },
      (job) => [progress.listenerFor(job.label)],
    );
    progress.close();
    for (const run of runs) {
      try {
        await writeReports(run.runDir);
      } catch (err) {
        output.out.write(
          `could not write the reports of ${run.runDir}: ${err instanceof Error ? err.message : String(err)}\n`,
        );
      }
      const rel = path.relative(process.cwd(), run.runDir);
      const shown = rel === "" || rel.startsWith("..") ? run.runDir : rel;
      output.out.write(
        `${run.record.cellId}: ${run.record.verdict} (${run.record.pass ? "PASS" : "FAIL"}) -> ${shown}/summary.md\n`,
      );
      for (const m of run.record.machines.filter((x) => x.kept))
        output.out.write(`  kept ${m.name}: ${m.sshCommand ?? m.providerId ?? ""}\n`);
    }
    if (req.repeat > 1) {
      for (const { cell } of items) {
        const mine = runs.filter((r) => r.record.cellId === cell.id);
        const matched = mine.filter((r) => r.record.pass).length;
        output.out.write(
          `${cell.id}: ${matched}/${mine.length} run(s) gave the expected verdict ${cell.scenario.expect.verdict}\n`,
        );
      }
    }
    return exitCodeOf(
      runs.map((r) => r.record),
      interrupts.signal.aborted,
    );
  } finally {
    progress.close();
    interrupts.dispose();
  }
}
