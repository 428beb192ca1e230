import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ProbeSample } from "../probes/probe-definition.ts";
import { scenariosDir } from "../scenario/catalog.ts";
import { loadScenario } from "../scenario/load.ts";
import { decideVerdict } from "./decide-verdict.ts";
import { allSettled, evaluateChecks } from "./evaluate-checks.ts";

const start = 1_763_900_000_000;
const at = (t: number) => start + t * 1000;
const checksOf = async (name: string) =>
  (await loadScenario(path.join(scenariosDir(), `${name}.yaml`))).scenario.expect.checks;

// The denial as a Debian 13 kernel prints it (same form as recorded/journal/apparmor-denied-signal-*.txt, dmesg --notime).
const denial =
  'audit: type=1400 audit(1763900001.100:120): apparmor="DENIED" operation="signal" class="signal" profile="cri-containerd.apparmor.d" pid=1801 comm="runc" requested_mask="receive" denied_mask="receive" signal=kill peer="runc"';

/** What the observe phase sees on Debian 13 with Debian 12's containerd 1.6.20 (bugs.md 2, verified by hand). */
function reproducedSeries(): ProbeSample[] {
  const series: ProbeSample[] = [
    {
      probe: "kill-result",
      node: "node1",
      at: at(-3),
      value: 1,
      evidence: [
        "ctr: runc did not terminate successfully: exit status 1: unable to signal init: permission denied",
      ],
    },
  ];
  for (const t of [0, 5, 10, 15, 20]) {
    series.push({ probe: "denied-signal", node: "node1", at: at(t), value: 1, evidence: [denial] });
    series.push({ probe: "task-state", node: "node1", at: at(t), value: "RUNNING", evidence: ["RUNNING"] });
  }
  return series;
}

/** What it sees with Debian 13's own containerd 1.7.24: the kill works, no denial. */
function healthySeries(): ProbeSample[] {
  const series: ProbeSample[] = [
    {
      probe: "kill-result",
      node: "node1",
      at: at(-3),
      value: 0,
      evidence: ["TASK    PID     STATUS", "t1      1801    STOPPED"],
    },
  ];
  for (const t of [0, 5, 10, 15, 20]) {
    series.push({ probe: "denied-signal", node: "node1", at: at(t), value: 0, evidence: [] });
    series.push({ probe: "task-state", node: "node1", at: at(t), value: "STOPPED", evidence: ["STOPPED"] });
  }
  return series;
}

describe("verdicts of the debian13 AppArmor scenarios", () => {
  it.each([
    {
      scenario: "debian13-containerd16-apparmor",
      series: reproducedSeries,
      verdict: "reproduced",
      asExpected: true,
    },
    {
      scenario: "debian13-containerd16-apparmor",
      series: healthySeries,
      verdict: "not-reproduced",
      asExpected: false,
    },
    {
      scenario: "debian13-containerd17-apparmor",
      series: healthySeries,
      verdict: "healthy",
      asExpected: true,
    },
    {
      scenario: "debian13-containerd17-apparmor",
      series: reproducedSeries,
      verdict: "unhealthy",
      asExpected: false,
    },
  ] as const)(
    "$scenario over the $series.name gives $verdict",
    async ({ scenario, series, verdict, asExpected }) => {
      const expectation = scenario.includes("16") ? "reproduced" : "healthy";
      const results = evaluateChecks(await checksOf(scenario), series(), start, true);
      const decision = decideVerdict(expectation, results);
      expect(decision.verdict).toBe(verdict);
      expect(decision.asExpected).toBe(asExpected);
    },
  );

  it("carries the deciding lines as evidence", async () => {
    const results = evaluateChecks(
      await checksOf("debian13-containerd16-apparmor"),
      reproducedSeries(),
      start,
      true,
    );
    expect(decideVerdict("reproduced", results).evidence).toEqual([
      "holds: the kernel denied runc's signal",
      "  [node1 +0.0s] value 1",
      `  [node1 +0.0s]   ${denial}`,
      "holds: the kill failed with permission denied",
      "  [node1 -3.0s] value 1",
      "  [node1 -3.0s]   ctr: runc did not terminate successfully: exit status 1: unable to signal init: permission denied",
      "holds: the task is still running after the kill",
      '  [node1 +20.0s] value "RUNNING"',
      "  [node1 +20.0s]   RUNNING",
    ]);
  });

  it("says which check failed and why", async () => {
    const results = evaluateChecks(
      await checksOf("debian13-containerd17-apparmor"),
      reproducedSeries(),
      start,
      true,
    );
    const { evidence } = decideVerdict("healthy", results);
    expect(evidence.slice(0, 4)).toEqual([
      "FAILS: no signal was denied",
      "  not satisfied by:",
      "  [node1 +0.0s] value 1",
      `  [node1 +0.0s]   ${denial}`,
    ]);
    expect(evidence).toContain("FAILS: the task stopped");
  });

  it("stays unsettled while `last` checks can change, so observation runs its course", async () => {
    const checks = await checksOf("debian13-containerd16-apparmor");
    const firstSamples = reproducedSeries().filter((s) => s.at <= at(0));
    const results = evaluateChecks(checks, firstSamples, start, false);
    expect(results.map((r) => r.settled)).toEqual([true, false, false]);
    expect(allSettled(results)).toBe(false);
  });

  it("with no checks there is no evidence, so no expected verdict", () => {
    expect(decideVerdict("healthy", []).verdict).toBe("unhealthy");
  });
});
