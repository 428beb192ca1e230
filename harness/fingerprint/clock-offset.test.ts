import { describe, expect, it } from "vitest";
import { clockOffsetMs } from "./clock-offset.ts";

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
