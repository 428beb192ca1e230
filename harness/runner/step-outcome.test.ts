import { describe, expect, it } from "vitest";
import type { CommandResult } from "../transport/transport.ts";
import { describeNodeRun, stepOutcome, type NodeRun } from "./step-outcome.ts";

const result = (over: Partial<CommandResult>): CommandResult => ({
  command: "bash",
  exitCode: 0,
  signal: null,
  stdout: "",
  stderr: "",
  startedAt: 0,
  durationMs: 1200,
  timedOut: false,
  ...over,
});
const ok: NodeRun = { node: "n1", result: result({}) };
const fail: NodeRun = {
  node: "n2",
  result: result({ exitCode: 1, stderr: "a\nctr: unable to signal init: permission denied\n" }),
};
const hung: NodeRun = {
  node: "n2",
  result: result({ exitCode: null, signal: "SIGTERM", timedOut: true, stdout: "started\n" }),
};
const dropped: NodeRun = {
  node: "n2",
  result: result({ exitCode: null, transportError: "Connection reset by peer" }),
};

describe("stepOutcome", () => {
  it.each<{
    name: string;
    runs: NodeRun[];
    expect: "success" | "failure" | "any";
    outcome: string;
    aborted?: boolean;
  }>([
    { name: "all succeed", runs: [ok], expect: "success", outcome: "passed" },
    { name: "one fails", runs: [ok, fail], expect: "success", outcome: "failed" },
    { name: "timeout", runs: [ok, hung], expect: "success", outcome: "timed-out" },
    { name: "must fail and does", runs: [fail], expect: "failure", outcome: "expected-failure" },
    {
      name: "must fail but one node succeeds",
      runs: [ok, fail],
      expect: "failure",
      outcome: "unexpected-success",
    },
    { name: "failure tolerated", runs: [fail], expect: "any", outcome: "tolerated-failure" },
    { name: "a hang is evidence when tolerated", runs: [hung], expect: "any", outcome: "tolerated-failure" },
    {
      name: "dropped connection is infra even when tolerated",
      runs: [dropped],
      expect: "any",
      outcome: "infra-failure",
    },
    { name: "interrupted", runs: [fail], expect: "success", outcome: "aborted", aborted: true },
    {
      name: "infra error before the command",
      runs: [{ node: "n1", infraError: "upload failed" }],
      expect: "success",
      outcome: "infra-failure",
    },
  ])("$name -> $outcome", ({ runs, expect: e, outcome, aborted }) => {
    expect(stepOutcome(runs, e, aborted ?? false).outcome).toBe(outcome);
  });
});

describe("describeNodeRun (the failure message junit and the summary show)", () => {
  it.each([
    [fail, "n2: exit code 1 after 1.2s\n  a\n  ctr: unable to signal init: permission denied"],
    [hung, "n2: timed out after 1.2s and was killed\n  started"],
    [dropped, "n2: connection lost after 1.2s: Connection reset by peer"],
    [{ node: "n3", result: result({ exitCode: 2 }) }, "n3: exit code 2 after 1.2s (no output)"],
  ] as [NodeRun, string][])("%#", (run, text) => {
    expect(describeNodeRun(run)).toBe(text);
  });
});
