import { describe, expect, it } from "vitest";
import { withLoggedTimes } from "./evidence-times.ts";
import { loggedAt } from "./logged-at.ts";
import type { StepRecord } from "./run-record.ts";

const t0 = Date.parse("2026-12-04T01:55:00Z");
const step = (id: string, startedAt: number, durationMs: number): StepRecord => ({
  id,
  name: id,
  phase: "workload",
  nodes: ["cp1"],
  outcome: "passed",
  startedAt,
  durationMs,
  attempts: 1,
});
const run = {
  steps: [step("workload/kill", t0 - 30_000, 20_000), step("observe/probes", t0, 120_000)],
  nodes: { cp1: { clockOffsetMs: 2_000, facts: {} }, cp2: { clockOffsetMs: null, facts: {} } },
};

describe("loggedAt", () => {
  it.each([
    { line: "2026-12-04T01:55:07.598002+0000 cp1 containerd[627]: msg", ms: t0 + 7_598 },
    { line: "2026-12-04T01:55:07Z kube-system/Pod/etcd-cp1 SandboxChanged (x1)", ms: t0 + 7_000 },
    { line: "2026-12-04T01:55:07.5+00:00 x", ms: t0 + 7_500 },
    { line: '2026-12-04T01:55:07,250000+00:00 audit: type=1400 apparmor="DENIED"', ms: t0 + 7_250 },
    { line: "cp1 Ready=True", ms: null },
    { line: "2026-13-45T99:00:00Z nonsense", ms: null },
  ])("$line -> $ms", ({ line, ms }) => {
    if (ms === null) expect(loggedAt(line)).toBeNull();
    else expect(loggedAt(line)).toBeCloseTo(ms, 0);
  });
});

describe("withLoggedTimes", () => {
  it("says when a quoted journal line was logged on the host clock, and during which step", () => {
    // Logged 01:54:42 by the guest, whose clock is 2 s ahead: 01:54:40 host time, 20 s before observing began.
    const line = '[cp1 +30.0s]   2026-12-04T01:54:42.000000+0000 cp1 kernel: apparmor="DENIED"';
    expect(withLoggedTimes([line], run, t0)).toEqual([`${line}  <- logged -20.0s, during workload/kill`]);
  });

  it("names no step for a time between steps, and keeps indentation", () => {
    const line = "  [cp1 +30.0s]   2026-12-04T01:54:55Z default/Pod/web SandboxChanged (x1): changed";
    expect(withLoggedTimes([line], run, t0)).toEqual([`${line}  <- logged -7.0s`]);
  });

  it("leaves values, untimed lines, and nodes without a measured offset alone", () => {
    const lines = [
      "[cp1 +30.0s] value 3",
      "[cp1 +30.0s]   kube-system/etcd-cp1 on cp1 restarts=1",
      "[cp2 +30.0s]   2026-12-04T01:55:07Z default/Pod/web SandboxChanged (x1)",
      "holds: etcd restarts",
    ];
    expect(withLoggedTimes(lines, run, t0)).toEqual(lines);
  });
});
