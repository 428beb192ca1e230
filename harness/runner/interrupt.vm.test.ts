// SIGINT/SIGTERM/SIGHUP/SIGQUIT at 20 points of a real `harness run` (local-dir provider): aborted, torn down, exit code 130;
// SIGKILL leaves a readable partial run that cleanup removes. No VM is booted: it is in the vm tier for its length.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ExitCode } from "../errors.ts";
import type { RunRecord } from "../reports/run-record.ts";
import { parseEvents } from "../timeline/read-events.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import { cleanupProvider } from "../cli/commands/cleanup.ts";
import { eventCount, processesIn, runDirsUnder, spawnHarnessRun } from "./testing/cli-run.ts";
import { interruptSignals } from "./interrupt.ts";
import { LocalDirProvider } from "./testing/local-dir-provider.ts";
import { localScenario } from "./testing/local-cell.ts";

let work: string;
let scenarioFile: string;
/** Events of an uninterrupted run, to pick the interruption points from. */
let baseline: TimelineEvent[];

const scenario = localScenario({
  name: "interrupt-me",
  nodes: [
    { name: "node1", role: "standalone", memory: "256M" },
    { name: "node2", role: "standalone", memory: "256M" },
  ],
  steps: [
    { name: "prepare", phase: "configure", run: "sleep 0.3; echo prepared" },
    { name: "long", phase: "workload", run: "for i in 1 2 3; do echo tick $i; sleep 0.2; done" },
    {
      name: "kill",
      phase: "workload",
      nodes: ["node1"],
      run: "echo denied >&2; exit 1",
      tolerateFailure: true,
    },
  ],
  observe: {
    duration: "1500ms",
    interval: "300ms",
    probes: [
      { name: "kill-result", kind: "step", step: "kill" },
      { name: "ticks", kind: "command", run: "sleep 0.05; echo 1" },
    ],
  },
  expect: { verdict: "reproduced", checks: [{ probe: "kill-result", holds: "last", equals: 1 }] },
});

async function runOnce(label: string, interruptAfter: number | null, signal: NodeJS.Signals) {
  const results = path.join(work, label, "results");
  const machines = path.join(work, label, "machines");
  const run = spawnHarnessRun(scenarioFile, results, machines);
  if (interruptAfter !== null) {
    for (;;) {
      const [dir] = await runDirsUnder(results);
      if (dir !== undefined && eventCount(dir) >= interruptAfter) break;
      if (run.child.exitCode !== null) break;
      await sleep(5);
    }
    run.child.kill(signal);
  }
  const exit = await run.exit;
  const [runDir] = await runDirsUnder(results);
  return { exit, runDir, machines, output: run.output() };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "interrupt-"));
  scenarioFile = path.join(work, "interrupt-me.yaml");
  await writeFile(scenarioFile, stringify(scenario));
  const { exit, runDir, output } = await runOnce("baseline", null, "SIGINT");
  expect(exit.code, output).toBe(ExitCode.ok);
  baseline = parseEvents(readFileSync(path.join(runDir!, "events.ndjson"), "utf8"));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** 20 points from the first event to the start of the destroy phase (after it the run is already over). */
function points(): { after: number; what: string }[] {
  const last = baseline.findIndex((e) => e.kind === "phase-start" && e.phase === "destroy");
  return Array.from({ length: 20 }, (_, i) => {
    const after = 1 + Math.floor((i * (last - 1)) / 19);
    const e = baseline[after - 1]!;
    const what =
      "step" in e && typeof e.step === "string"
        ? `${e.kind} ${e.step}`
        : "phase" in e
          ? `${e.kind} ${e.phase}`
          : e.kind;
    return { after, what };
  });
}

describe("interrupting `harness run` (local-dir provider, real child process)", () => {
  it("the uninterrupted baseline run passes and leaves nothing behind", () => {
    expect(baseline.at(-1)?.kind).toBe("run-end");
  });

  it("at 20 points: run.json says aborted, exit code 130, no machine dir or process left", async () => {
    const cases = points().map((p, i) => ({
      ...p,
      signal: interruptSignals[i % interruptSignals.length]!,
      i,
    }));
    const failures: string[] = [];
    // Three at a time: each run is a few seconds of mostly sleeping children.
    for (let start = 0; start < cases.length; start += 3) {
      await Promise.all(
        cases.slice(start, start + 3).map(async (c) => {
          const { exit, runDir, machines, output } = await runOnce(`p${c.i}`, c.after, c.signal);
          const where = `${c.signal} after event ${c.after} (${c.what})`;
          if (exit.code !== ExitCode.aborted)
            failures.push(`${where}: exit ${exit.code} ${exit.signal}\n${output}`);
          if (runDir === undefined) {
            failures.push(`${where}: no run directory`);
            return;
          }
          const record = JSON.parse(readFileSync(path.join(runDir, "run.json"), "utf8")) as RunRecord;
          if (record.verdict !== "aborted") failures.push(`${where}: verdict ${record.verdict}`);
          if (!record.complete) failures.push(`${where}: run.json not completed`);
          const left = existsSync(machines) ? await readdir(machines) : [];
          if (left.length > 0) failures.push(`${where}: machine dirs left: ${left.join(", ")}`);
          const procs = await processesIn(machines);
          if (procs.length > 0) failures.push(`${where}: processes left: ${procs.join(", ")}`);
          const events = parseEvents(readFileSync(path.join(runDir, "events.ndjson"), "utf8"));
          if (!events.some((e) => e.kind === "interrupt")) failures.push(`${where}: no interrupt event`);
          for (const f of ["junit.xml", "summary.md", "timeline.html", "trace.json"])
            if (!existsSync(path.join(runDir, f))) failures.push(`${where}: no ${f}`);
        }),
      );
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it("SIGKILL mid-step leaves a valid run.json and events; cleanup of the run removes machines and processes", async () => {
    const results = path.join(work, "sigkill", "results");
    const machines = path.join(work, "sigkill", "machines");
    const run = spawnHarnessRun(scenarioFile, results, machines);
    let runDir: string | undefined;
    for (;;) {
      [runDir] = await runDirsUnder(results);
      if (runDir !== undefined && existsSync(path.join(runDir, "events.ndjson"))) {
        const events = parseEvents(readFileSync(path.join(runDir, "events.ndjson"), "utf8"));
        if (events.some((e) => e.kind === "output" && e.step === "workload/long")) break;
      }
      if (run.child.exitCode !== null) throw new Error(`the run ended before the step: ${run.output()}`);
      await sleep(5);
    }
    run.child.kill("SIGKILL");
    expect((await run.exit).signal).toBe("SIGKILL");
    const record = JSON.parse(readFileSync(path.join(runDir, "run.json"), "utf8")) as RunRecord;
    expect(record).toMatchObject({ verdict: "aborted", complete: false });
    const events = parseEvents(readFileSync(path.join(runDir, "events.ndjson"), "utf8"));
    expect(
      events.filter((e) => e.kind === "step-end").map((e) => (e.kind === "step-end" ? e.step : "")),
    ).toContain("configure/prepare");
    const provider = new LocalDirProvider(machines);
    expect((await provider.list(record.runId)).length).toBe(2);
    const outcome = await cleanupProvider(provider, { kind: "run", runId: record.runId }, false);
    expect(outcome.runs.map((r) => r.runId)).toEqual([record.runId]);
    expect(await readdir(machines)).toEqual([]);
    await expect.poll(() => processesIn(machines)).toEqual([]);
  }, 60_000);
});
