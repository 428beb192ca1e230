import { describe, expect, it } from "vitest";
import { HarnessError } from "../errors.ts";
import type { MachinePlan } from "../plan/plan.ts";
import { refuseKernelArgs } from "./kernel-args-support.ts";

const machine = (name: string, kernelArgs: string[]): MachinePlan => ({
  name,
  role: "control-plane",
  cpus: 2,
  memoryMiB: 2048,
  diskGiB: 10,
  image: "ubuntu-24.04",
  imagePackages: [],
  imagePayload: null,
  kernelArgs,
  outbound: "debian-mirror",
  privateIp: "10.200.0.11",
});

describe("refuseKernelArgs", () => {
  it("lets machines without kernelArgs through", () => {
    expect(() => refuseKernelArgs([machine("cp1", [])], "multipass")).not.toThrow();
  });

  it("refuses with a usage error that names the machines, the arguments and the provider that can", () => {
    const refuse = () =>
      refuseKernelArgs(
        [machine("cp1", ["systemd.unified_cgroup_hierarchy=1"]), machine("w1", [])],
        "vagrant",
      );
    expect(refuse).toThrow(
      /the vagrant provider does not choose the kernel command line of cp1 .*systemd.unified_cgroup_hierarchy=1/,
    );
    expect(refuse).toThrow(HarnessError);
    try {
      refuse();
    } catch (err) {
      expect(err).toMatchObject({ code: "KERNEL_ARGS_UNSUPPORTED", exitCode: 2 });
    }
  });
});
