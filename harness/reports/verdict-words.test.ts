import { describe, expect, it } from "vitest";
import { verdicts } from "../timeline/events.ts";
import { verdictHeadline } from "./verdict-words.ts";

describe("verdictHeadline", () => {
  it("says a reproduced bug that was expected is a success, and a fixed setup without symptoms too", () => {
    expect(verdictHeadline("reproduced", "reproduced")).toBe("bug reproduced, as expected");
    expect(verdictHeadline("healthy", "healthy")).toBe("no sign of the bug, as expected (the fixed setup)");
  });

  it("never says 'as expected' for a verdict that fails the run", () => {
    for (const expect_ of ["reproduced", "healthy"] as const)
      for (const v of verdicts.filter((v) => v !== expect_))
        expect(verdictHeadline(expect_, v)).not.toMatch(/\bas expected/);
  });
});
