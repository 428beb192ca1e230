import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { compareDebianVersions, highestMatching, matchesVersionPattern } from "./debian-version.ts";

/** Pairs with the order dpkg gives them (`a < b`), from dpkg's own test suite cases and real package versions. */
const ascending: [string, string][] = [
  ["1.0~rc1", "1.0"],
  ["1.0", "1.0-1"],
  ["1.0-1", "1.0-1+b1"],
  ["1.0-1~bpo1", "1.0-1"],
  ["1.6.20~ds1-1+deb12u1", "1.6.20~ds1-1+deb12u2"],
  ["1.6.20~ds1-1+deb12u2", "1.6.20~ds1-1+deb12u10"],
  ["1.6.20~ds1-1", "1.6.20~ds1-1+deb12u1"],
  ["1.6.20~ds1", "1.6.20"],
  ["1.0.0~rc93+ds1-5+deb11u5", "1.0.0~rc94"],
  ["1.0.0~rc93+ds1-5+deb11u5", "1.0.0"],
  ["1.7.24~ds1-6", "1.7.24~ds1-6+b1"],
  ["9:1.0", "10:0.1"],
  ["1:0.1", "2:0.0"],
  ["0:1.0", "1:0.1"],
  ["1.2a", "1.2b"],
  ["1.2a", "1.2+"],
  ["1.2", "1.2a"],
  ["1.09", "1.10"],
  ["1.0~~", "1.0~"],
  ["1.0~", "1.0"],
  ["2.30-1", "2.30-1.1"],
  ["1.30.4-1.1", "1.30.10-1.1"],
  ["20.10.24+dfsg1-1", "20.10.24+dfsg1-1+b1"],
];

describe("compareDebianVersions", () => {
  it.each(ascending)("%s < %s", (a, b) => {
    expect(compareDebianVersions(a, b)).toBe(-1);
    expect(compareDebianVersions(b, a)).toBe(1);
  });

  it.each([
    ["1.0", "1.0"],
    ["0:1.0", "1.0"],
    ["1.0-0", "1.0-0"],
    ["1.001", "1.1"],
  ])("%s == %s", (a, b) => {
    expect(compareDebianVersions(a, b)).toBe(0);
  });

  it("agrees with dpkg --compare-versions on every pair (real dpkg)", async () => {
    for (const [a, b] of ascending) {
      const { exitCode } = await execa("dpkg", ["--compare-versions", a, "lt", b], { reject: false });
      expect(exitCode, `dpkg says ${a} lt ${b}`).toBe(0);
    }
  });
});

describe("version patterns", () => {
  it.each([
    ["1.6.20~ds1-1+deb12u1", "1.6.20~ds1-1+deb12u*", true],
    ["1.6.20~ds1-1", "1.6.20~ds1-1+deb12u*", false],
    ["1.6.20~ds1-1", "1.6.20~ds1-1", true],
    ["1.6.20~ds1-1+b1", "1.6.20~ds1-1", false],
  ])("%s matches %s: %s", (version, pattern, ok) => {
    expect(matchesVersionPattern(version, pattern)).toBe(ok);
  });

  it.each([
    {
      versions: ["1.6.20~ds1-1+deb12u1", "1.6.20~ds1-1+deb12u10", "1.6.20~ds1-1+deb12u2"],
      pattern: "1.6.20~ds1-1+deb12u*",
      want: "1.6.20~ds1-1+deb12u10",
    },
    { versions: ["1.6.20~ds1-1", "1.7.24~ds1-6"], pattern: "1.7*", want: "1.7.24~ds1-6" },
    { versions: ["1.6.20~ds1-1"], pattern: "1.7*", want: null },
    { versions: ["1.6.20~ds1-1", "1.6.20~ds1-1+b1"], pattern: "1.6.20~ds1-1", want: "1.6.20~ds1-1" },
  ])("highest of $versions matching $pattern is $want", ({ versions, pattern, want }) => {
    expect(highestMatching(versions, pattern)).toBe(want);
  });
});
