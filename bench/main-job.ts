// Benchmark of the main job (issue 6): wall time of real `harness run`s, cold (empty cache: image build and artifact
// downloads included) or warm, each phase's duration, and the share of wall time the harness itself adds over the
// guest's own work (booting, and the commands it runs), with the observation window (waiting the scenario asked for)
// counted apart.
// Run: node --import tsx bench/main-job.ts [--cold] [scenario...]   (default: the two debian13 AppArmor scenarios)
//      node --import tsx bench/main-job.ts --report RUN_DIR...      (the same split for runs already made)
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunRecord } from "../harness/reports/run-record.ts";
import { repoRoot } from "../harness/scenario/catalog.ts";
import { readEvents } from "../harness/timeline/read-events.ts";
import { machineTimes } from "./machine-times.ts";

const args = process.argv.slice(2);
const cold = args.includes("--cold");
const scenarios = args.filter((a) => !a.startsWith("--"));
const targets =
  scenarios.length > 0 ? scenarios : ["debian13-containerd16-apparmor", "debian13-containerd17-apparmor"];

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function runDirsUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const scenario of await readdir(dir)) {
    for (const run of await readdir(path.join(dir, scenario))) found.push(path.join(dir, scenario, run));
  }
  return found.sort();
}

/** Where a run's time went, from its timeline: image preparation, artifact fetches, boots and guest commands. */
async function timeSpent(
  runDir: string,
  observe: { startedAt: number; durationMs: number } | undefined,
): Promise<{ imageMs: number; artifactsMs: number; bootMs: number; commandMs: number }> {
  // Probes and the fingerprint run inside the observation window, which is counted whole on its own.
  const inObserve = (t: number) =>
    observe !== undefined && t >= observe.startedAt && t <= observe.startedAt + observe.durationMs;
  const events = await readEvents(path.join(runDir, "events.ndjson"));
  const { imageMs, boots } = machineTimes(events);
  const bootMs = boots.reduce((sum, [, ms]) => sum + ms, 0);
  let artifactsMs = 0;
  let commandMs = 0;
  const commands: [number, number][] = [];
  for (const e of events) {
    if (e.kind === "step-end" && e.step === "create/artifacts") artifactsMs += e.durationMs;
    if (e.kind === "command" && !inObserve(e.startedAt))
      commands.push([e.startedAt, e.startedAt + e.durationMs]);
  }
  // Commands on several nodes (or log collectors) run at once: count the time covered, not the sum.
  let coveredUntil = -Infinity;
  for (const [start, end] of commands.sort((a, b) => a[0] - b[0])) {
    commandMs += Math.max(0, end - Math.max(start, coveredUntil));
    coveredUntil = Math.max(coveredUntil, end);
  }
  return { imageMs, artifactsMs, bootMs, commandMs };
}

/** Prints one run's phases and the split of its wall time. */
async function report(runDir: string): Promise<void> {
  const record = JSON.parse(await readFile(path.join(runDir, "run.json"), "utf8")) as RunRecord;
  process.stdout.write(`  cell ${record.cellId}: ${record.verdict}, run ${seconds(record.durationMs)}\n`);
  for (const phase of record.phases)
    process.stdout.write(`    ${phase.name.padEnd(16)} ${seconds(phase.durationMs)}\n`);
  const observe = record.phases.find((p) => p.name === "observe");
  const { imageMs, artifactsMs, bootMs, commandMs } = await timeSpent(runDir, observe);
  const observeMs = observe?.durationMs ?? 0;
  const harnessMs = record.durationMs - imageMs - artifactsMs - bootMs - commandMs - observeMs;
  process.stdout.write(
    `  image preparation ${seconds(imageMs)}, artifact fetch ${seconds(artifactsMs)}, guest boot ${seconds(bootMs)},` +
      ` guest commands ${seconds(commandMs)}, observation window (probes, fingerprint) ${seconds(observeMs)}\n` +
      `  harness's own share (uploads, SSH set-up, bookkeeping): ${seconds(harnessMs)} = ` +
      `${((100 * harnessMs) / record.durationMs).toFixed(1)}% of the run\n`,
  );
}

if (args.includes("--report")) {
  for (const runDir of scenarios) await report(runDir);
  process.exit(0);
}

for (const scenario of targets) {
  const results = await mkdtemp(path.join(tmpdir(), "bench-main-job-"));
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", NO_COLOR: "1" };
  if (cold) env.HARNESS_CACHE_DIR = await mkdtemp(path.join(tmpdir(), "bench-main-job-cache-"));
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [path.join(repoRoot, "bin", "harness.js"), "run", scenario, "--results", results],
    {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const wallMs = Date.now() - started;
  process.stdout.write(
    `\n${scenario} (${cold ? "cold: empty cache" : "warm: cached image and artifacts"})\n`,
  );
  process.stdout.write(`  harness run exit code ${run.status}, wall ${seconds(wallMs)}\n`);
  process.stdout.write(`  (CLI start-up and exit outside the run are included in the wall time)\n`);
  for (const runDir of await runDirsUnder(results)) await report(runDir);
}
