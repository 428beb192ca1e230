import { describe, expect, it } from "vitest";
import type { Plan, ProbePlan } from "../plan/plan.ts";
import { Timeline } from "../timeline/timeline.ts";
import type { CommandResult, ExecOptions, Transport } from "../transport/transport.ts";
import type { CellContext } from "./cell-context.ts";
import { observe } from "./observe.ts";

/** A transport whose commands each take `delayMs` and that records how many were running at once, per kind. */
class CountingTransport implements Transport {
  readonly description = "counting transport";
  private running = { kubectl: 0, other: 0 };
  readonly most = { kubectl: 0, other: 0 };

  constructor(private readonly delayMs: number) {}

  async exec(command: string, _options: ExecOptions): Promise<CommandResult> {
    const kind = command.includes("kubectl") ? "kubectl" : "other";
    this.running[kind] += 1;
    this.most[kind] = Math.max(this.most[kind], this.running[kind]);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.running[kind] -= 1;
    const startedAt = Date.now();
    return {
      command,
      exitCode: 0,
      signal: null,
      stdout: "",
      stderr: "",
      startedAt,
      durationMs: 0,
      timedOut: false,
    };
  }
  async upload(): Promise<void> {}
  async download(): Promise<void> {}
  async close(): Promise<void> {}
}

function probe(name: string, kind: ProbePlan["kind"], command: string): ProbePlan {
  return { name, kind, node: "cp1", command, timeoutMs: 60_000, spec: { name, kind } as ProbePlan["spec"] };
}

function context(transport: Transport, probes: ProbePlan[]): CellContext {
  const plan = {
    observe: { durationMs: 1, intervalMs: 1, stopWhenSettled: false },
    probes,
    expect: "healthy",
    checks: [],
  } as unknown as Plan;
  return {
    plan,
    probeContext: {} as CellContext["probeContext"],
    runId: "test",
    runDir: "/nonexistent",
    timeline: new Timeline(null, () => Date.now()),
    signal: new AbortController().signal,
    machines: new Map(),
    transports: new Map([["cp1", transport]]),
    artifacts: new Map(),
    startedAt: Date.now(),
    clockOffsets: new Map(),
    samples: [],
    infraFailures: [],
  };
}

describe("observe", () => {
  it("runs the cluster probes (kubectl on the control plane) one at a time, the others beside them", async () => {
    const transport = new CountingTransport(30);
    const ctx = context(transport, [
      probe("nodes-ready", "node-condition", "kubectl get nodes -o json"),
      probe("restarts", "pod-restarts", "kubectl get pods -o json"),
      probe("sandbox", "events", "kubectl get events -o json"),
      probe("pipe-a", "sysctl", "sysctl -n fs.pipe-user-pages-soft"),
      probe("pipe-b", "sysctl", "sysctl -n fs.pipe-max-size"),
    ]);
    const result = await observe(ctx, () => ({ settled: false }) as never);
    expect(result.rounds).toBe(1);
    expect(transport.most).toEqual({ kubectl: 1, other: 2 });
    expect(ctx.samples.map((s) => s.probe).sort()).toEqual(
      ["nodes-ready", "pipe-a", "pipe-b", "restarts", "sandbox"].sort(),
    );
  });
});
