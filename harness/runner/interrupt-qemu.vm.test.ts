// SIGHUP (a closed terminal) in the middle of a step of a real `harness run` on a QEMU guest: the run ends aborted
// with exit code 130, run.json is complete, and no QEMU process or state folder of the run is left.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ExitCode } from "../errors.ts";
import { findQemuProcesses } from "../providers/qemu/run-state.ts";
import type { RunRecord } from "../reports/run-record.ts";
import { repoRoot } from "../scenario/catalog.ts";
import { parseEvents } from "../timeline/read-events.ts";
import { runDirsUnder } from "./testing/cli-run.ts";

let work = "";

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "interrupt-qemu-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("interrupting `harness run` on a real QEMU guest", () => {
  it("SIGHUP mid-step: aborted, exit code 130, run.json complete, no guest or state left", async () => {
    const file = path.join(work, "hang-up.yaml");
    await writeFile(
      file,
      stringify({
        name: "hang-up",
        description: "A step that sleeps until the harness is interrupted.",
        tags: ["fixture"],
        image: "debian-13",
        nodes: [{ name: "node1", role: "standalone", memory: "1G" }],
        runtime: { kind: "containerd", containerd: { source: { from: "distro" } } },
        steps: [{ name: "wait", phase: "workload", run: "echo waiting; sleep 600", timeout: "15m" }],
        observe: { probes: [{ name: "wait-result", kind: "step", step: "wait" }] },
        expect: { verdict: "healthy", checks: [{ probe: "wait-result", equals: 0 }] },
      }),
    );
    const results = path.join(work, "results");
    const state = path.join(work, "state");
    const run = execa("node", ["bin/harness.js", "run", file, "--results", results], {
      cwd: repoRoot,
      env: { CI: "true", NO_COLOR: "1", HARNESS_STATE_DIR: state },
      reject: false,
      all: true,
    });
    let runDir: string | undefined;
    for (;;) {
      [runDir] = await runDirsUnder(results);
      const events = runDir === undefined ? "" : path.join(runDir, "events.ndjson");
      if (events !== "" && existsSync(events)) {
        const parsed = parseEvents(readFileSync(events, "utf8"));
        if (parsed.some((e) => e.kind === "output" && e.step === "workload/wait")) break;
      }
      if (run.exitCode !== undefined && run.exitCode !== null) break;
      await sleep(200);
    }
    run.kill("SIGHUP");
    const result = await run;
    expect(result.exitCode, result.all).toBe(ExitCode.aborted);
    const record = JSON.parse(readFileSync(path.join(runDir!, "run.json"), "utf8")) as RunRecord;
    expect(record).toMatchObject({ verdict: "aborted", complete: true });
    expect((await findQemuProcesses()).filter((p) => p.id.includes(record.runId))).toEqual([]);
    expect(existsSync(state) ? await readdir(state) : []).toEqual([]);
  }, 600_000);
});
