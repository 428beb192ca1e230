import { describe, expect, it } from "vitest";
import { tscKernelArgs } from "./tsc-hint.ts";

describe("TSC kernel arguments", () => {
  it.each([
    {
      name: "invariant TSC (this host's cpuinfo shape)",
      cpuinfo:
        "model name\t: AMD EPYC\ncpu MHz\t\t: 2596.124\nflags\t\t: fpu tsc constant_tsc nonstop_tsc hypervisor\n",
      args: "tsc_early_khz=2596124 tsc=reliable lpj=10384496",
    },
    { name: "no nonstop_tsc", cpuinfo: "cpu MHz\t\t: 2596.124\nflags\t\t: fpu tsc constant_tsc\n", args: "" },
    { name: "no frequency", cpuinfo: "flags\t\t: constant_tsc nonstop_tsc\n", args: "" },
    { name: "empty", cpuinfo: "", args: "" },
  ])("$name", ({ cpuinfo, args }) => {
    expect(tscKernelArgs(cpuinfo)).toBe(args);
  });
});
