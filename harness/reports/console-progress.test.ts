import { describe, expect, it } from "vitest";
import { fakeClock } from "../timeline/clock.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import { ConsoleProgress } from "./console-progress.ts";

const at = Date.UTC(2026, 10, 23, 18, 42, 12, 345);
const events: TimelineEvent[] = [
  { kind: "phase-start", at, phase: "workload" },
  {
    kind: "step-start",
    at,
    step: "workload/kill",
    phase: "workload",
    nodes: ["node1"],
    description: "",
    timeoutMs: 1,
    expect: "any",
  },
  { kind: "output", at, node: "node1", step: "workload/kill", stream: "stderr", line: "permission denied" },
  {
    kind: "step-end",
    at: at + 1500,
    step: "workload/kill",
    phase: "workload",
    outcome: "failed",
    durationMs: 1500,
    attempts: 1,
    message: "node1: exit code 1\n  permission denied",
  },
  {
    kind: "run-end",
    at: at + 2000,
    verdict: "error",
    pass: false,
    reason: "step workload/kill failed",
    durationMs: 2000,
  },
];

function render(live: boolean, verbose: boolean): string {
  let out = "";
  const p = new ConsoleProgress({
    out: { write: (t: string) => (out += t) },
    live,
    color: false,
    verbose,
    clock: fakeClock(at),
  });
  const a = p.listenerFor("cell-a");
  for (const e of events) a(e);
  p.close();
  return out;
}

describe("ConsoleProgress", () => {
  it("prints plain timestamped lines in CI", () => {
    expect(render(false, false)).toBe(
      [
        "18:42:12.345 [cell-a] phase workload",
        "18:42:12.345 [cell-a]   workload/kill started on node1",
        "18:42:13.845 [cell-a]   workload/kill failed in 1.5s",
        "18:42:13.845 [cell-a]     node1: exit code 1",
        "18:42:13.845 [cell-a]       permission denied",
        "18:42:14.345 [cell-a] error (FAIL) in 2.0s: step workload/kill failed",
        "",
      ].join("\n"),
    );
  });

  it("streams command output only with --verbose", () => {
    expect(render(false, true)).toContain("[cell-a]     node1| permission denied");
  });

  it("on a terminal, redraws one status line per running cell and prints failures above it", () => {
    const out = render(true, false);
    expect(out).toContain("cell-a  workload  workload/kill on node1");
    expect(out).toContain("[cell-a] workload/kill failed in 1.5s");
    expect(out).toContain("\u001b[1F\u001b[0J");
  });

  it("never colours without colour", () => {
    expect(render(false, false)).not.toContain("\u001b[");
  });
});
