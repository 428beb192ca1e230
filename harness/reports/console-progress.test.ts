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

  it("in CI, says every 30 s that a long step still runs, with its last output line", () => {
    let out = "";
    const clock = fakeClock(at);
    const p = new ConsoleProgress({
      out: { write: (t: string) => (out += t) },
      live: false,
      color: false,
      verbose: false,
      clock,
    });
    const a = p.listenerFor("cell-a");
    a({ ...events[1], step: "bootstrap/kubeadm-init", phase: "bootstrap", nodes: ["cp1"] } as TimelineEvent);
    clock.advance(29_000);
    p.heartbeat();
    expect(out).not.toContain("still running");
    a({
      kind: "output",
      at: clock(),
      node: "cp1",
      step: "bootstrap/kubeadm-init",
      stream: "stdout",
      line: "[wait-control-plane] Waiting for the kubelet",
    });
    clock.advance(2_000);
    p.heartbeat();
    p.heartbeat();
    clock.advance(30_000);
    p.heartbeat();
    a({
      kind: "step-end",
      at: clock(),
      step: "bootstrap/kubeadm-init",
      phase: "bootstrap",
      outcome: "passed",
      durationMs: 61_000,
      attempts: 1,
    });
    clock.advance(60_000);
    p.heartbeat();
    p.close();
    const beats = out.split("\n").filter((l) => l.includes("still running"));
    expect(beats).toEqual([
      "18:42:43.345 [cell-a]   bootstrap/kubeadm-init on cp1 still running after 31.0s; last output on cp1: [wait-control-plane] Waiting for the kubelet",
      "18:43:13.345 [cell-a]   bootstrap/kubeadm-init on cp1 still running after 1m01s; last output on cp1: [wait-control-plane] Waiting for the kubelet",
    ]);
  });

  it("prints a machine's SSH retries as one waiting line and a count on the ready line", () => {
    let out = "";
    const p = new ConsoleProgress({
      out: { write: (t: string) => (out += t) },
      live: false,
      color: false,
      verbose: false,
      clock: fakeClock(at),
    });
    const a = p.listenerFor("cell-a");
    const machine = (state: string, detail: string): TimelineEvent => ({
      kind: "machine",
      at,
      machine: "cp1",
      state,
      detail,
    });
    a(machine("booting", "tcg, ssh on 127.0.0.1:44463, pid 16576, attempt 1"));
    a(machine("ssh-retry", "attempt 1, 0.0 s into the wait for SSH: connect ECONNREFUSED 127.0.0.1:44463"));
    for (let i = 2; i <= 7; i++)
      a(machine("ssh-retry", `attempt ${i}, ${18 + i}.0 s into the wait for SSH: read ECONNRESET`));
    a(machine("ready", "ssh after 27.6 s (pid 16576)"));
    p.close();
    expect(
      out
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.slice(22)),
    ).toEqual([
      "  machine cp1: booting (tcg, ssh on 127.0.0.1:44463, pid 16576, attempt 1)",
      "  machine cp1: waiting for SSH (connect ECONNREFUSED 127.0.0.1:44463); retrying until it answers",
      "  machine cp1: ready (ssh after 27.6 s (pid 16576), after 7 SSH retries)",
    ]);
  });

  it("never colours without colour", () => {
    expect(render(false, false)).not.toContain("\u001b[");
  });
});
