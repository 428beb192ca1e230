import { describe, expect, it } from "vitest";
import { privateMacOf, privateSegmentOf } from "./private-segment.ts";

describe("private segment", () => {
  it("derives a stable multicast group and port from the run id", () => {
    const a = privateSegmentOf("20261123-184212-3f9a1c");
    expect(a).toEqual(privateSegmentOf("20261123-184212-3f9a1c"));
    expect(a.group).toMatch(/^239\.255\.\d+\.\d+$/);
    expect(a.port).toBeGreaterThanOrEqual(20_000);
    expect(a.port).toBeLessThan(40_000);
    expect(privateSegmentOf("20261123-184212-000000")).not.toEqual(a);
  });

  it.each([
    { ip: "10.200.0.11", mac: "52:54:00:c8:00:0b" },
    { ip: "10.200.0.12", mac: "52:54:00:c8:00:0c" },
  ])("MAC of $ip is $mac", ({ ip, mac }) => {
    expect(privateMacOf(ip)).toBe(mac);
  });

  it("rejects a malformed address", () => {
    expect(() => privateMacOf("10.200.0")).toThrow(/not an IPv4 address/);
  });
});
