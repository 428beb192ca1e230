import { describe, expect, it } from "vitest";
import { closestName } from "./did-you-mean.ts";

describe("closestName", () => {
  const names = ["debian11-kubeadm", "debian12-kubeadm", "swap-off", "swap-preflight"];
  it.each([
    { value: "debian11-kubeadmm", want: "debian11-kubeadm" },
    { value: "swap-of", want: "swap-off" },
    { value: "calico", want: null },
    { value: "x".repeat(10_000), want: null },
  ])("$value -> $want", ({ value, want }) => {
    expect(closestName(value, names)).toBe(want);
  });

  it("is null without candidates", () => {
    expect(closestName("anything", [])).toBeNull();
  });
});
