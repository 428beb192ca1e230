import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, parseSizeMiB } from "./duration.ts";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["2m30s", 150_000],
  ])("%s is %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe("formatDuration", () => {
  it.each([
    [850, "850ms"],
    [12_340, "12.3s"],
    [245_000, "4m05s"],
  ])("%d ms reads %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("parseSizeMiB", () => {
  it("reads M and G", () => {
    expect(parseSizeMiB("2048M")).toBe(2048);
    expect(parseSizeMiB("4G")).toBe(4096);
  });
});
