// Benchmark of the runner's own cost: wall time against a bare bash script doing the same commands, CPU of probe
// sampling at a 1 s interval (over SSH to a local sshd when one can be started, else local processes), and the peak
// RSS of `harness run` with 3 machines. With --run-dir DIR (repeatable), also how much of each recorded run's wall time
// no step covered (the harness's own bookkeeping between steps, e.g. of a qemu run).
// Run: node --import tsx bench/runner-overhead.ts [--sampling-seconds N] [--run-dir DIR]...
import { localDirDeps } from "../harness/runner/testing/local-dir-deps.ts";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { runCell } from "../harness/runner/run-cell.ts";
import type { RunnerDeps } from "../harness/runner/runner-deps.ts";
import { LocalDirProvider } from "../harness/runner/testing/local-dir-provider.ts";
import { LocalSshdProvider } from "../harness/runner/testing/local-sshd-provider.ts";
import { localCell, localScenario } from "../harness/runner/testing/local-cell.ts";
import { repoRoot } from "../harness/scenario/catalog.ts";
import { readEvents } from "../harness/timeline/read-events.ts";
import { localSshdAvailable, startLocalSshd, type LocalSshd } from "../harness/transport/local-sshd.ts";

const samplingSeconds = Number(process.argv[process.argv.indexOf("--sampling-seconds") + 1]) || 30;
const work = await mkdtemp(path.join(tmpdir(), "bench-runner-"));
const figures: Record<string, unknown> = {
  date: new Date().toISOString(),
  loadavgAtStart: execFileSync("cat", ["/proc/loadavg"]).toString().trim(),
};

function localDeps(provider: LocalDirProvider): RunnerDeps {
  return localDirDeps(provider, "bench");
}

const runOptions = (results: string) => ({
  resultsDir: results,
  keep: "never" as const,
  repetition: 1,
  signal: new AbortController().signal,
  teardownDeadlineMs: 30_000,
  listeners: [],
});

// 1. Wall time: 8 steps of `sleep 0.25` and one probe, harness (in process and CLI) vs one bash script.
const stepCommands = Array.from({ length: 8 }, (_, i) => `sleep 0.25; echo step ${i}`);
const overheadScenario = {
  steps: stepCommands.map((run, i) => ({ name: `s${i}`, phase: "workload", run })),
  observe: { duration: "5s", interval: "1s", probes: [{ name: "p", kind: "command", run: "echo 1" }] },
  expect: { verdict: "reproduced", checks: [{ probe: "p", holds: "ever", equals: "1" }] },
};
const bashScript = `${stepCommands.join("\n")}\necho 1\n`;
const bashTimes: number[] = [];
const harnessTimes: number[] = [];
const cliTimes: number[] = [];
const scenarioFile = path.join(work, "overhead.yaml");
await writeFile(scenarioFile, stringify(localScenario({ name: "overhead", ...overheadScenario })));
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  spawnSync("bash", ["-c", bashScript], { stdio: "ignore" });
  bashTimes.push(performance.now() - t);
  const { cell, plan } = localCell(overheadScenario);
  t = performance.now();
  await runCell(
    cell,
    plan,
    localDeps(new LocalDirProvider(path.join(work, "machines"))),
    runOptions(path.join(work, "results")),
  );
  harnessTimes.push(performance.now() - t);
  t = performance.now();
  spawnSync(
    process.execPath,
    [
      path.join(repoRoot, "bin/harness.js"),
      "run",
      scenarioFile,
      "--provider",
      "local-dir",
      "--results",
      path.join(work, "cli"),
    ],
    {
      stdio: "ignore",
      env: { ...process.env, CI: "true", HARNESS_LOCAL_DIR_MACHINES: path.join(work, "cli-machines") },
    },
  );
  cliTimes.push(performance.now() - t);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
figures.wallTime = {
  bareBashMs: Math.round(median(bashTimes)),
  runCellMs: Math.round(median(harnessTimes)),
  cliMs: Math.round(median(cliTimes)),
  runCellRatio: +(median(harnessTimes) / median(bashTimes)).toFixed(3),
  cliRatio: +(median(cliTimes) / median(bashTimes)).toFixed(3),
};

// 2. CPU of probe sampling: 3 probes on 3 nodes every 1 s for the window, measured as this process's CPU time.
const samplingScenario = {
  nodes: ["n1", "n2", "n3"].map((name) => ({ name, role: "standalone", memory: "256M" })),
  observe: {
    duration: `${samplingSeconds}s`,
    interval: "1s",
    stopWhenSettled: false,
    probes: [
      { name: "load", kind: "command", run: "cat /proc/loadavg" },
      { name: "pipes", kind: "sysctl", key: "fs.pipe-user-pages-soft" },
      { name: "sleepers", kind: "process", match: "sleep 1000" },
    ],
  },
  expect: { verdict: "reproduced", checks: [{ probe: "pipes", holds: "always", atLeast: 1 }] },
};

async function samplingCpu(
  deps: RunnerDeps,
): Promise<{ cpuPercentOfCore: number; samples: number; wallMs: number }> {
  const { cell, plan } = localCell(samplingScenario);
  const before = process.cpuUsage();
  const t = performance.now();
  const { record } = await runCell(cell, plan, deps, runOptions(path.join(work, "sampling")));
  const wallMs = performance.now() - t;
  const cpu = process.cpuUsage(before);
  if (record.verdict !== "reproduced")
    throw new Error(`sampling run ended ${record.verdict}: ${record.reason}`);
  return {
    cpuPercentOfCore: +(((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(2),
    samples: record.checks[0] ? Number(/over (\d+)/.exec(record.checks[0].reason)?.[1] ?? 0) : 0,
    wallMs: Math.round(wallMs),
  };
}

figures.samplingLocalProcesses = await samplingCpu(
  localDeps(new LocalDirProvider(path.join(work, "sampling-machines"))),
);

let sshd: LocalSshd | null = null;
if (await localSshdAvailable()) {
  try {
    sshd = await startLocalSshd(path.join(work, "sshd"));
    const sshProvider = new LocalSshdProvider(sshd.endpoint);
    figures.samplingSsh = await samplingCpu({
      ...localDeps(new LocalDirProvider(path.join(work, "unused"))),
      provider: sshProvider,
      connect: (m, ctx) => sshProvider.connect(m, ctx),
    });
  } catch (err) {
    figures.samplingSsh = `not measured: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await sshd?.stop();
  }
} else {
  figures.samplingSsh = "not measured: openssh-server is not installed";
}

// 3. Peak RSS of `harness run` with 3 machines (the CLI process, measured by GNU time).
const rssFile = path.join(work, "rss.yaml");
await writeFile(
  rssFile,
  stringify(
    localScenario({
      name: "rss",
      nodes: ["n1", "n2", "n3"].map((name) => ({ name, role: "standalone", memory: "256M" })),
      steps: [
        { name: "work", phase: "workload", run: "for i in $(seq 1 2000); do echo line $i; done; sleep 0.5" },
      ],
      observe: { duration: "5s", interval: "1s", probes: [{ name: "p", kind: "command", run: "seq 1 200" }] },
      expect: { verdict: "reproduced", checks: [{ probe: "p", holds: "last", matches: "200" }] },
    }),
  ),
);
const timed = spawnSync(
  "/usr/bin/time",
  [
    "-f",
    "%M",
    process.execPath,
    path.join(repoRoot, "bin/harness.js"),
    "run",
    rssFile,
    "--provider",
    "local-dir",
    "--results",
    path.join(work, "rss"),
  ],
  {
    env: { ...process.env, CI: "true", HARNESS_LOCAL_DIR_MACHINES: path.join(work, "rss-machines") },
    encoding: "utf8",
  },
);
figures.peakRssThreeMachinesMiB = +(Number(timed.stderr.trim().split("\n").pop()) / 1024).toFixed(1);
figures.loadavgAtEnd = execFileSync("cat", ["/proc/loadavg"]).toString().trim();

// 4. Recorded runs: time between run start and end that no step covered, and the steps' share.
const runDirs = process.argv.flatMap((a, i) => (process.argv[i - 1] === "--run-dir" ? [a] : []));
const recorded: Record<string, unknown> = {};
for (const dir of runDirs) {
  const events = await readEvents(path.join(dir, "events.ndjson"));
  const start = events.find((e) => e.kind === "run-start")?.at ?? 0;
  const end = events.find((e) => e.kind === "run-end")?.at ?? 0;
  const spans = events.flatMap((e) => (e.kind === "step-end" ? [[e.at - e.durationMs, e.at] as const] : []));
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = start;
  for (const [a, b] of spans) {
    if (b > reach) covered += b - Math.max(a, reach);
    reach = Math.max(reach, b);
  }
  const byStep = Object.fromEntries(
    events.flatMap((e) => (e.kind === "step-end" ? [[e.step, e.durationMs]] : [])),
  );
  recorded[dir] = {
    totalMs: end - start,
    uncoveredMs: end - start - covered,
    uncoveredShare: +((end - start - covered) / (end - start)).toFixed(4),
    byStep,
  };
}
if (runDirs.length > 0) figures.recordedRuns = recorded;

await mkdir(path.join(repoRoot, "results", "bench"), { recursive: true });
await writeFile(
  path.join(repoRoot, "results", "bench", "runner-overhead.json"),
  `${JSON.stringify(figures, null, 2)}\n`,
);
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
await rm(work, { recursive: true, force: true });
