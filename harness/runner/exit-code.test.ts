import { describe, expect, it } from "vitest";
import { exitCodeOf } from "./exit-code.ts";

describe("exitCodeOf", () => {
  it.each([
    { runs: [{ verdict: "reproduced", pass: true }], interrupted: false, code: 0 },
    { runs: [{ verdict: "not-reproduced", pass: false }], interrupted: false, code: 1 },
    {
      runs: [
        { verdict: "healthy", pass: true },
        { verdict: "error", pass: false },
      ],
      interrupted: false,
      code: 3,
    },
    {
      runs: [
        { verdict: "error", pass: false },
        { verdict: "infra-failure", pass: false },
      ],
      interrupted: false,
      code: 4,
    },
    {
      runs: [
        { verdict: "infra-failure", pass: false },
        { verdict: "aborted", pass: false },
      ],
      interrupted: false,
      code: 130,
    },
    { runs: [{ verdict: "reproduced", pass: true }], interrupted: true, code: 130 },
    { runs: [], interrupted: true, code: 130 },
  ] as const)("$code", ({ runs, interrupted, code }) => {
    expect(exitCodeOf([...runs], interrupted)).toBe(code);
  });
});
