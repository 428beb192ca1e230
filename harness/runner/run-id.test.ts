import { describe, expect, it } from "vitest";
import { isRunId, newRunId } from "./run-id.ts";

describe("run ids", () => {
  it("are UTC time plus random, and sort by time", () => {
    const a = newRunId(Date.UTC(2026, 10, 23, 18, 42, 12), () => "ffffff");
    const b = newRunId(Date.UTC(2026, 10, 23, 18, 42, 13), () => "000000");
    expect(a).toBe("20261123-184212-ffffff");
    expect([b, a].sort()).toEqual([a, b]);
    expect(isRunId(a)).toBe(true);
    expect(isRunId(newRunId(Date.now()))).toBe(true);
  });

  it.each(["20261123-184212", "20261123-184212-ABCDEF", "x20261123-184212-abcdef"])("rejects %s", (id) => {
    expect(isRunId(id)).toBe(false);
  });
});
