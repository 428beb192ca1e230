import { describe, expect, it } from "vitest";
import { decideRunVerdict, type VerdictInput } from "./verdict.ts";

const held = {
  name: "denied",
  probe: "p",
  held: true,
  reason: "holds",
  evidence: ["line"],
  evidenceMissing: false,
};
const notHeld = { ...held, held: false, reason: "fails" };
const missing = {
  ...held,
  name: "sandbox changed",
  probe: "events",
  held: false,
  reason: "evidence missing: probe events gave no value over 2 sample(s)",
  evidence: ["2 sample(s) failed and count as not satisfied; last: cp1 +30s kubectl timed out"],
  evidenceMissing: true,
};
const checks = (verdict: "reproduced" | "not-reproduced" | "healthy" | "unhealthy", results = [held]) => ({
  results,
  verdict,
  evidence: ["holds: denied"],
});
const base: VerdictInput = {
  expect: "reproduced",
  aborted: false,
  infraFailures: [],
  failedSteps: [],
  versionMismatches: [],
  checks: checks("reproduced"),
};

describe("decideRunVerdict", () => {
  it.each<{ name: string; input: Partial<VerdictInput>; verdict: string; pass: boolean; reason?: RegExp }>([
    { name: "checks held, reproduced expected", input: {}, verdict: "reproduced", pass: true },
    {
      name: "checks failed -> not-reproduced",
      input: { checks: checks("not-reproduced", [notHeld]) },
      verdict: "not-reproduced",
      pass: false,
      reason: /1 of 1 check\(s\) did not hold: denied/,
    },
    {
      name: "healthy twin",
      input: { expect: "healthy", checks: checks("healthy") },
      verdict: "healthy",
      pass: true,
    },
    {
      name: "unhealthy twin",
      input: { expect: "healthy", checks: checks("unhealthy", [notHeld]) },
      verdict: "unhealthy",
      pass: false,
    },
    {
      name: "a failed step beats the checks",
      input: { failedSteps: [{ id: "workload/kill", outcome: "failed", message: "node1: exit code 1" }] },
      verdict: "error",
      pass: false,
      reason: /step workload\/kill failed/,
    },
    {
      name: "an unexpected success is an error",
      input: { failedSteps: [{ id: "bootstrap/init", outcome: "unexpected-success" }] },
      verdict: "error",
      pass: false,
      reason: /succeeded but must fail/,
    },
    {
      name: "versions other than the pinned ones are an error",
      input: { versionMismatches: ["node1: package containerd is 1.7.24 but the scenario pinned 1.6.20"] },
      verdict: "error",
      pass: false,
      reason: /versions other than the ones the scenario pinned/,
    },
    {
      name: "infrastructure beats a failed step",
      input: {
        infraFailures: ["create/machines: no SSH within 300 s"],
        failedSteps: [{ id: "x", outcome: "failed" }],
      },
      verdict: "infra-failure",
      pass: false,
    },
    {
      name: "an interrupt beats everything",
      input: { aborted: true, infraFailures: ["x"] },
      verdict: "aborted",
      pass: false,
    },
    {
      name: "no observation -> error",
      input: { checks: null },
      verdict: "error",
      pass: false,
      reason: /no checks were evaluated/,
    },
    {
      name: "a check whose probe never gave a value -> error (evidence missing), not not-reproduced",
      input: { checks: checks("not-reproduced", [held, missing]) },
      verdict: "error",
      pass: false,
      reason: /^evidence missing: probe events never gave a value for check "sandbox changed"/,
    },
    {
      name: "evidence missing in a healthy twin -> error, not unhealthy",
      input: { expect: "healthy", checks: checks("unhealthy", [notHeld, missing]) },
      verdict: "error",
      pass: false,
      reason: /evidence missing/,
    },
  ])("$name", ({ input, verdict, pass, reason }) => {
    const d = decideRunVerdict({ ...base, ...input });
    expect(d.verdict).toBe(verdict);
    expect(d.pass).toBe(pass);
    if (reason) expect(d.reason).toMatch(reason);
  });

  it("shows each check whose evidence is missing, with its failed samples", () => {
    const d = decideRunVerdict({ ...base, checks: checks("not-reproduced", [held, missing]) });
    expect(d.evidence).toEqual([
      "sandbox changed: evidence missing: probe events gave no value over 2 sample(s)",
      "  2 sample(s) failed and count as not satisfied; last: cp1 +30s kubectl timed out",
    ]);
  });

  it("carries the failing step's message as evidence", () => {
    const d = decideRunVerdict({
      ...base,
      failedSteps: [
        { id: "workload/kill", outcome: "timed-out", message: "node1: timed out after 5m\n  hung" },
      ],
    });
    expect(d.evidence).toEqual(["workload/kill: timed-out", "node1: timed out after 5m", "  hung"]);
  });
});
