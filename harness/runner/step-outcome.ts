// Pure: turns each node's command result and the step's expectation into the step's outcome and message.
import { formatDuration } from "../plan/duration.ts";
import type { StepExpectation } from "../plan/plan.ts";
import type { StepOutcome } from "../timeline/events.ts";
import type { CommandResult } from "../transport/transport.ts";

/** What happened on one node. */
export type NodeRun =
  | { node: string; result: CommandResult }
  | { node: string; infraError: string }
  | { node: string; aborted: true };

/** How one node's run ended, before the expectation is applied. */
type NodeEnd = "ok" | "failed" | "timed-out" | "infra" | "aborted";

function nodeEnd(run: NodeRun, aborted: boolean): NodeEnd {
  if ("infraError" in run) return "infra";
  if ("aborted" in run) return "aborted";
  const r = run.result;
  if (r.transportError !== undefined) return aborted ? "aborted" : "infra";
  if (aborted && r.exitCode !== 0) return "aborted";
  if (r.timedOut) return "timed-out";
  return r.exitCode === 0 ? "ok" : "failed";
}

/** The last `n` non-empty lines of a text. */
export function tail(text: string, n: number): string[] {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .slice(-n);
}

/** The real reason a node's run failed, in one or a few lines: never just "exit status 1". */
export function describeNodeRun(run: NodeRun): string {
  if ("infraError" in run) return `${run.node}: ${run.infraError}`;
  if ("aborted" in run) return `${run.node}: aborted before it ran`;
  const r = run.result;
  if (r.transportError !== undefined)
    return `${run.node}: connection lost after ${formatDuration(r.durationMs)}: ${r.transportError}`;
  const output = tail(r.stderr, 5);
  const shown = output.length > 0 ? output : tail(r.stdout, 5);
  const rest = shown.length > 0 ? `\n${shown.map((l) => `  ${l}`).join("\n")}` : " (no output)";
  if (r.timedOut) return `${run.node}: timed out after ${formatDuration(r.durationMs)} and was killed${rest}`;
  if (r.exitCode === null) return `${run.node}: killed by ${r.signal ?? "a signal"}${rest}`;
  if (r.exitCode === 0) return `${run.node}: succeeded (exit code 0)${rest}`;
  return `${run.node}: exit code ${r.exitCode} after ${formatDuration(r.durationMs)}${rest}`;
}

/** The step's outcome and, when it matters, the message that explains it. */
export function stepOutcome(
  runs: NodeRun[],
  expect: StepExpectation,
  aborted: boolean,
): { outcome: StepOutcome; message?: string } {
  const ends = runs.map((r) => nodeEnd(r, aborted));
  const describe = (which: NodeEnd[]) =>
    runs
      .filter((_, i) => which.includes(ends[i]!))
      .map(describeNodeRun)
      .join("\n");
  if (ends.includes("aborted")) return { outcome: "aborted", message: "interrupted" };
  if (ends.includes("infra")) return { outcome: "infra-failure", message: describe(["infra"]) };
  const failing: NodeEnd[] = ["failed", "timed-out"];
  const anyFailed = ends.some((e) => failing.includes(e));
  const allFailed = ends.length > 0 && ends.every((e) => failing.includes(e));
  switch (expect) {
    case "success":
      if (ends.includes("timed-out")) return { outcome: "timed-out", message: describe(failing) };
      return anyFailed ? { outcome: "failed", message: describe(failing) } : { outcome: "passed" };
    case "failure":
      return allFailed
        ? { outcome: "expected-failure", message: describe(failing) }
        : {
            outcome: "unexpected-success",
            message: `the step must fail but succeeded on ${runs
              .filter((_, i) => ends[i] === "ok")
              .map((r) => r.node)
              .join(", ")}\n${describe(["ok"])}`,
          };
    case "any":
      return anyFailed ? { outcome: "tolerated-failure", message: describe(failing) } : { outcome: "passed" };
  }
}
