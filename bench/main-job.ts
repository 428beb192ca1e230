// Benchmark of the main job (issue 6): wall time of real `harness run`s, cold (empty cache: image build and artifact
// downloads included) or warm, each phase's duration, and the share of wall time the harness itself adds over the
// guest's own work (booting, and the commands it runs), with the observation window (waiting the scenario asked for)
// counted apart.
// Run: node --import tsx bench/main-job.ts [--cold] [scenario...]   (default: the two debian13 AppArmor scenarios)
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunRecord } from "../harness/results/run-record.ts";
import { repoRoot } from "../harness/scenario/catalog.ts";
import { readEvents } from "../harness/timeline/read-events.ts";

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

/** Guest work of one run: machine boots (booting -> ready) and guest command time, from the timeline. */
async function guestWork(runDir: string): Promise<{ bootMs: number; commandMs: number }> {
  const events = await readEvents(path.join(runDir, "events.ndjson"));
  const bootStart = new Map<string, number>();
  let bootMs = 0;
  let commandMs = 0;
  for (const e of events) {
    if (e.kind === "machine" && e.state === "booting") bootStart.set(e.machine, e.at);
    if (e.kind === "machine" && e.state === "ready" && bootStart.has(e.machine)) {
      bootMs += e.at - (bootStart.get(e.machine) ?? e.at);
      bootStart.delete(e.machine);
    }
    if (e.kind === "command") commandMs += e.durationMs;
  }
  return { bootMs, commandMs };
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
  for (const runDir of await runDirsUnder(results)) {
    const record = JSON.parse(await readFile(path.join(runDir, "run.json"), "utf8")) as RunRecord;
    process.stdout.write(`  cell ${record.cellId}: ${record.verdict}, run ${seconds(record.durationMs)}\n`);
    for (const phase of record.phases)
      process.stdout.write(`    ${phase.name.padEnd(16)} ${seconds(phase.durationMs)}\n`);
    const { bootMs, commandMs } = await guestWork(runDir);
    const observeMs = record.phases.find((p) => p.name === "observe")?.durationMs ?? 0;
    const harnessMs = record.durationMs - bootMs - commandMs - observeMs;
    process.stdout.write(
      `  guest boot ${seconds(bootMs)}, guest commands ${seconds(commandMs)}, observation window ${seconds(observeMs)}\n` +
        `  harness's own share: ${seconds(harnessMs)} = ${((100 * harnessMs) / record.durationMs).toFixed(1)}% of the run` +
        ` (CLI start-up outside the run: ${seconds(wallMs - record.durationMs)})\n`,
    );
  }
}
