import { describe, expect, it } from "vitest";
import type { ProbeSample } from "../probes/probe-definition.ts";
import { checkSpec } from "../scenario/check-schema.ts";
import { allSettled, evaluateChecks } from "./evaluate-checks.ts";

const start = 1_763_900_000_000;
const check = (c: Record<string, unknown>) => checkSpec.parse({ probe: "p", ...c });
/** A sample of probe `p` taken `t` seconds after observation started. */
const s = (t: number, value: ProbeSample["value"], node = "node1", evidence: string[] = []): ProbeSample => ({
  probe: "p",
  node,
  at: start + t * 1000,
  value,
  evidence,
});

describe("evaluateChecks semantics", () => {
  it.each([
    // ever
    {
      name: "ever: satisfied once settles at once",
      c: { holds: "ever", atLeast: 1 },
      samples: [s(0, 0), s(5, 1)],
      final: false,
      holds: true,
      settled: true,
    },
    {
      name: "ever: not yet, more may come",
      c: { holds: "ever", atLeast: 1 },
      samples: [s(0, 0), s(5, 0)],
      final: false,
      holds: false,
      settled: false,
    },
    {
      name: "ever: never satisfied by the end",
      c: { holds: "ever", atLeast: 1 },
      samples: [s(0, 0)],
      final: true,
      holds: false,
      settled: true,
    },
    {
      name: "ever: null samples do not satisfy",
      c: { holds: "ever" },
      samples: [s(0, null), s(5, null)],
      final: true,
      holds: false,
      settled: true,
    },
    // never
    {
      name: "never: violated settles at once",
      c: { holds: "never", atLeast: 1 },
      samples: [s(0, 0), s(5, 2)],
      final: false,
      holds: false,
      settled: true,
    },
    {
      name: "never: holding so far is not settled",
      c: { holds: "never", atLeast: 1 },
      samples: [s(0, 0), s(5, 0)],
      final: false,
      holds: true,
      settled: false,
    },
    {
      name: "never: holds at the end",
      c: { holds: "never", atLeast: 1 },
      samples: [s(0, 0), s(5, 0)],
      final: true,
      holds: true,
      settled: true,
    },
    {
      name: "never: only failed samples is no evidence",
      c: { holds: "never", atLeast: 1 },
      samples: [s(0, null)],
      final: true,
      holds: false,
      settled: true,
    },
    // always
    {
      name: "always: one miss settles at once",
      c: { holds: "always", atMost: 0 },
      samples: [s(0, 0), s(5, 1), s(10, 0)],
      final: false,
      holds: false,
      settled: true,
    },
    {
      name: "always: a failed sample is a miss",
      c: { holds: "always", atMost: 0 },
      samples: [s(0, 0), s(5, null)],
      final: false,
      holds: false,
      settled: true,
    },
    {
      name: "always: all so far",
      c: { holds: "always", atMost: 0 },
      samples: [s(0, 0), s(5, 0)],
      final: false,
      holds: true,
      settled: false,
    },
    {
      name: "always: all at the end",
      c: { holds: "always", atMost: 0 },
      samples: [s(0, 0), s(5, 0)],
      final: true,
      holds: true,
      settled: true,
    },
    // last
    {
      name: "last: the latest sample decides",
      c: { holds: "last", equals: "STOPPED" },
      samples: [s(0, "RUNNING"), s(5, "STOPPED")],
      final: false,
      holds: true,
      settled: false,
    },
    {
      name: "last: a later sample can undo it",
      c: { holds: "last", equals: "STOPPED" },
      samples: [s(5, "STOPPED"), s(0, "RUNNING"), s(10, "RUNNING")],
      final: true,
      holds: false,
      settled: true,
    },
    {
      name: "last: every node's latest",
      c: { holds: "last", atMost: 0 },
      samples: [s(0, 0, "cp"), s(0, 1, "worker"), s(5, 0, "cp")],
      final: true,
      holds: false,
      settled: true,
    },
    {
      name: "last: every node's latest, all fine",
      c: { holds: "last", atMost: 0 },
      samples: [s(0, 0, "cp"), s(0, 1, "worker"), s(5, 0, "worker")],
      final: true,
      holds: true,
      settled: true,
    },
    {
      name: "last: a failed last sample does not satisfy",
      c: { holds: "last", atMost: 0 },
      samples: [s(0, 0), s(5, null)],
      final: true,
      holds: false,
      settled: true,
    },
    // within
    {
      name: "within: a hit after the window does not count",
      c: { holds: "ever", atLeast: 1, within: "10s" },
      samples: [s(5, 0), s(15, 1)],
      final: false,
      holds: false,
      settled: true,
    },
    {
      name: "within: a hit inside the window",
      c: { holds: "ever", atLeast: 1, within: "10s" },
      samples: [s(5, 0), s(10, 1)],
      final: false,
      holds: true,
      settled: true,
    },
    {
      name: "within: window still open",
      c: { holds: "never", atLeast: 1, within: "1m" },
      samples: [s(5, 0)],
      final: false,
      holds: true,
      settled: false,
    },
    {
      name: "within: window closed by a later sample",
      c: { holds: "never", atLeast: 1, within: "1m" },
      samples: [s(5, 0), s(65, 3)],
      final: false,
      holds: true,
      settled: true,
    },
    {
      name: "samples from before observation (a step result) count",
      c: { holds: "last", equals: 0, within: "5s" },
      samples: [s(-30, 0)],
      final: true,
      holds: true,
      settled: true,
    },
    // nothing
    {
      name: "no samples: does not hold",
      c: { holds: "never" },
      samples: [],
      final: true,
      holds: false,
      settled: true,
    },
    {
      name: "no samples yet: not settled",
      c: { holds: "always" },
      samples: [],
      final: false,
      holds: false,
      settled: false,
    },
  ] as const)("$name", ({ c, samples, final, holds, settled }) => {
    const [result] = evaluateChecks([check(c)], [...samples], start, final);
    expect({ holds: result?.holds, settled: result?.settled }).toEqual({ holds, settled });
    expect(result?.evidence.length).toBeGreaterThan(0);
  });

  it("ignores samples of other probes and counts the rest", () => {
    const other: ProbeSample = { ...s(0, 5), probe: "q" };
    const [result] = evaluateChecks(
      [check({ holds: "ever", atLeast: 1 })],
      [other, s(0, 0), s(5, null)],
      start,
      true,
    );
    expect(result).toMatchObject({ holds: false, samplesSeen: 2, valuesSeen: 1 });
    expect(result?.evidence).toContain("[node1 +5.0s] probe failed, no value");
  });

  it("counts no value when every sample of the probe failed", () => {
    const [result] = evaluateChecks(
      [check({ holds: "ever", atLeast: 1 })],
      [s(0, null), s(5, null)],
      start,
      true,
    );
    expect(result).toMatchObject({ holds: false, samplesSeen: 2, valuesSeen: 0 });
  });

  it("names checks from their predicates when they have no name", () => {
    const results = evaluateChecks(
      [
        check({ holds: "always", atMost: 0, within: "30s" }),
        check({ name: "mine", holds: "last", equals: "x" }),
      ],
      [],
      start,
      false,
    );
    expect(results.map((r) => r.name)).toEqual(["p always <= 0 within 30s", "mine"]);
  });

  it("quotes the deciding sample with node, time and lines", () => {
    const [result] = evaluateChecks(
      [check({ holds: "ever", atLeast: 1 })],
      [s(0, 0), s(5, 1, "node1", ['apparmor="DENIED" operation="signal"'])],
      start,
      false,
    );
    expect(result?.evidence).toEqual([
      "[node1 +5.0s] value 1",
      '[node1 +5.0s]   apparmor="DENIED" operation="signal"',
    ]);
  });

  it("allSettled is true only when every check is settled", () => {
    const checks = [check({ holds: "ever", atLeast: 1 }), check({ holds: "never", atLeast: 5 })];
    expect(allSettled(evaluateChecks(checks, [s(0, 1)], start, false))).toBe(false);
    expect(allSettled(evaluateChecks(checks, [s(0, 1)], start, true))).toBe(true);
  });
});
