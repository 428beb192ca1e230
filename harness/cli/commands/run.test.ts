// `harness run` as a user runs it (a real child process, the test-only local-dir provider): exit codes and output.
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
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

describe("harness run with several scenarios and --tag (real CLI process)", () => {
  const scenario = (name: string, tags: string[]) =>
    stringify(
      localScenario({
        name,
        tags,
        steps: [{ name: "write", phase: "workload", run: "echo yes > marker" }],
        observe: {
          duration: "1s",
          interval: "300ms",
          probes: [{ name: "m", kind: "command", run: "cat marker" }],
        },
        expect: { verdict: "reproduced", checks: [{ probe: "m", holds: "last", equals: "yes" }] },
      }),
    );

  it("runs every catalog scenario with all the tags, plus the ones named, each once", async () => {
    const catalog = path.join(work, "tagged-catalog");
    await mkdir(catalog, { recursive: true });
    await writeFile(path.join(catalog, "tagged-a.yaml"), scenario("tagged-a", ["seed-x", "runs-here"]));
    await writeFile(path.join(catalog, "tagged-b.yaml"), scenario("tagged-b", ["seed-x"]));
    await writeFile(path.join(catalog, "tagged-c.yaml"), scenario("tagged-c", ["runs-here"]));
    const results = path.join(work, "tagged-results");
    const run = spawnHarnessRun(
      ["tagged-a"],
      results,
      path.join(work, "tagged-machines"),
      ["--tag", "seed-x", "--tag", "runs-here", "--tag", "seed-x"],
      { HARNESS_SCENARIOS: catalog },
    );
    expect((await run.exit).code, run.output()).toBe(ExitCode.ok);
    const runs = await runDirsUnder(results);
    expect(runs.map((d) => path.basename(path.dirname(d)))).toEqual(["tagged-a"]);

    const both = spawnHarnessRun(
      ["tagged-c"],
      results,
      path.join(work, "tagged-machines"),
      ["--tag", "seed-x"],
      {
        HARNESS_SCENARIOS: catalog,
      },
    );
    expect((await both.exit).code, both.output()).toBe(ExitCode.ok);
    expect(both.output()).toMatch(
      /tagged-c: reproduced \(PASS\)[\s\S]*tagged-a: reproduced[\s\S]*tagged-b: reproduced/,
    );
  });

  it("says so when no catalog scenario has the tags, or nothing is named", async () => {
    const empty = spawnHarnessRun([], path.join(work, "none"), path.join(work, "none-m"), [
      "--tag",
      "no-such-tag",
    ]);
    expect((await empty.exit).code).toBe(ExitCode.usage);
    expect(empty.output()).toContain("no catalog scenario has every tag of no-such-tag");
    const nothing = spawnHarnessRun([], path.join(work, "none"), path.join(work, "none-m"));
    expect((await nothing.exit).code).toBe(ExitCode.usage);
    expect(nothing.output()).toContain("name a scenario to run, or select some with --tag");
  });
});
