import { describe, expect, it } from "vitest";
import { bestClockOffset, clockOffsetMs, parseGuestClockMs } from "./clock-offset.ts";

describe("clockOffsetMs", () => {
  it.each([
    { guest: 1000.5, before: 1_000_000, after: 1_001_000, offset: 0 },
    { guest: 1003.5, before: 1_000_000, after: 1_001_000, offset: 3000 },
    { guest: 998, before: 1_000_000, after: 1_000_000, offset: -2000 },
    { guest: null, before: 1_000_000, after: 1_001_000, offset: null },
  ])(
    "guest $guest s between host $before and $after ms is $offset ms",
    ({ guest, before, after, offset }) => {
      expect(clockOffsetMs(guest, before, after)).toBe(offset);
    },
  );
});

describe("bestClockOffset", () => {
  it("takes the reading with the shortest round trip, with half of it as the uncertainty", () => {
    expect(
      bestClockOffset([
        { guestMs: 10_000, hostBeforeMs: 0, hostAfterMs: 19_000 },
        { guestMs: 20_150, hostBeforeMs: 20_000, hostAfterMs: 20_100 },
        { guestMs: 30_500, hostBeforeMs: 30_000, hostAfterMs: 30_900 },
      ]),
    ).toEqual({ offsetMs: 100, uncertaintyMs: 50 });
  });

  it("is null without readings", () => {
    expect(bestClockOffset([])).toBeNull();
  });
});

describe("parseGuestClockMs", () => {
  it.each([
    { out: "1764806400123456789\n", ms: 1764806400123.4568 },
    { out: "1764806400000000000", ms: 1764806400000 },
    { out: "", ms: null },
    { out: "1764806400.5", ms: null },
    { out: "%N", ms: null },
  ])("$out -> $ms", ({ out, ms }) => {
    const got = parseGuestClockMs(out);
    if (ms === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(ms, 3);
  });
});
