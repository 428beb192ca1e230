import { describe, expect, it } from "vitest";
import type { ProbeSample } from "../probes/probe-definition.ts";
import type { CheckSpec } from "../scenario/check-schema.ts";
import { checksEvaluator } from "./checks-evaluator.ts";

const check: CheckSpec = { name: "sandbox changed", probe: "events", holds: "ever", atLeast: 1 };
const sample = (at: number, value: number | null): ProbeSample => ({
  probe: "events",
  node: "cp1",
  at,
  value,
  evidence: value === null ? ["kubectl: timed out"] : [],
});

describe("checksEvaluator", () => {
  it("marks a check whose probe never gave a value as evidence missing", () => {
    const [r] = checksEvaluator(
      "reproduced",
      [check],
      [sample(1000, null), sample(2000, null)],
      0,
      true,
    ).results;
    expect(r).toMatchObject({
      held: false,
      evidenceMissing: true,
      reason: "evidence missing: probe events gave no value over 2 sample(s)",
    });
  });

  it("a probe that gave a value which does not satisfy the check fails, with its evidence", () => {
    const [r] = checksEvaluator(
      "reproduced",
      [check],
      [sample(1000, null), sample(2000, 0)],
      0,
      true,
    ).results;
    expect(r).toMatchObject({ held: false, evidenceMissing: false, reason: "fails over 2 sample(s)" });
  });

  it("a check that held is never evidence missing", () => {
    const [r] = checksEvaluator("reproduced", [check], [sample(1000, 3)], 0, true).results;
    expect(r).toMatchObject({ held: true, evidenceMissing: false, reason: "holds over 1 sample(s)" });
  });
});
