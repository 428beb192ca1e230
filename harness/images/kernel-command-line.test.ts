import { describe, expect, it } from "vitest";
import { kernelCommandLine } from "./kernel-command-line.ts";

describe("kernelCommandLine", () => {
  const image = "console=ttyS0 root=/dev/vda rw quiet systemd.unified_cgroup_hierarchy=0";

  it("replaces an image argument with the same key in place, so one key has one value", () => {
    expect(kernelCommandLine(image, ["systemd.unified_cgroup_hierarchy=1"])).toBe(
      "console=ttyS0 root=/dev/vda rw quiet systemd.unified_cgroup_hierarchy=1",
    );
  });

  it("appends new arguments in order, and flags without a value by their name", () => {
    expect(kernelCommandLine(image, ["apparmor=0", "quiet", "psi=1"])).toBe(`${image} apparmor=0 psi=1`);
  });

  it("keeps the image's line when nothing is added", () => {
    expect(kernelCommandLine(`  ${image} `, [])).toBe(image);
  });
});
