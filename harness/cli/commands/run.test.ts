// `harness run` as a user runs it (a real child process, the test-only local-dir provider): exit codes and output.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ExitCode } from "../../errors.ts";
import type { RunRecord } from "../../reports/run-record.ts";
import { runDirsUnder, spawnHarnessRun } from "../../runner/testing/cli-run.ts";
import { localScenario } from "../../runner/testing/local-cell.ts";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "cli-run-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("harness run --provider local-dir (real CLI process)", () => {
  it.each([
    {
      name: "verdict as expected",
      marker: "yes",
      code: ExitCode.ok,
      verdict: "reproduced",
      line: /reproduced \(PASS\)/,
    },
    {
      name: "verdict differs",
      marker: "no",
      code: ExitCode.verdictMismatch,
      verdict: "not-reproduced",
      line: /not-reproduced \(FAIL\)/,
    },
    { name: "a step fails", marker: "fail", code: ExitCode.error, verdict: "error", line: /exit code 7/ },
  ])("$name -> exit $code", async ({ name, marker, code, verdict, line }) => {
    const dir = path.join(work, name.replaceAll(" ", "-"));
    const file = path.join(work, `${marker}.yaml`);
    await writeFile(
      file,
      stringify(
        localScenario({
          name: `cli-${marker}`,
          steps: [
            {
              name: "write",
              phase: "workload",
              run: marker === "fail" ? "echo broken >&2; exit 7" : `echo ${marker} > marker`,
            },
          ],
          observe: {
            duration: "1s",
            interval: "300ms",
            probes: [{ name: "m", kind: "command", run: "cat marker" }],
          },
          expect: { verdict: "reproduced", checks: [{ probe: "m", holds: "last", equals: "yes" }] },
        }),
      ),
    );
    const run = spawnHarnessRun(file, path.join(dir, "results"), path.join(dir, "machines"));
    const exit = await run.exit;
    expect(exit.code, run.output()).toBe(code);
    expect(run.output()).toMatch(line);
    const [runDir] = await runDirsUnder(path.join(dir, "results"));
    const record = JSON.parse(readFileSync(path.join(runDir!, "run.json"), "utf8")) as RunRecord;
    expect(record.verdict).toBe(verdict);
    expect(run.output()).toContain(`${runDir}/summary.md`);
  });
});
