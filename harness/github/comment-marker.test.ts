import { describe, expect, it } from "vitest";
import { attachMarker, hasMarker, trackingMarker } from "./comment-marker.ts";

describe("hidden markers", () => {
  it.each([
    [
      "debian13-containerd16-apparmor",
      "<!-- k8s-node-harness:attach cell=debian13-containerd16-apparmor -->",
    ],
    [
      "s[containerd=1.7.24,runc=1.1.12]",
      "<!-- k8s-node-harness:attach cell=s[containerd=1.7.24,runc=1.1.12] -->",
    ],
    ["evil --> <script>", "<!-- k8s-node-harness:attach cell=evil_-___script_ -->"],
  ])("marks cell %s with an HTML comment that cannot end early", (cell, marker) => {
    expect(attachMarker(cell)).toBe(marker);
    expect(attachMarker(cell).slice(4, -3)).not.toMatch(/--|>/);
  });

  it("keeps attach and tracking markers apart, and finds them in bodies", () => {
    expect(trackingMarker("nightly")).toBe("<!-- k8s-node-harness:tracking nightly -->");
    expect(hasMarker(`x\n${attachMarker("a")}\ny`, attachMarker("a"))).toBe(true);
    expect(hasMarker(attachMarker("ab"), attachMarker("a"))).toBe(false);
    expect(hasMarker(null, attachMarker("a"))).toBe(false);
  });
});
