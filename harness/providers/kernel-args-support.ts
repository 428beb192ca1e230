// Providers whose machines boot with their own bootloader (or are running hosts) cannot honour kernelArgs: they refuse.
import { ExitCode, HarnessError } from "../errors.ts";
import type { MachinePlan } from "../plan/plan.ts";

/** Throws a usage error naming the scenario field when any machine asks for kernel arguments. */
export function refuseKernelArgs(machines: MachinePlan[], provider: string): void {
  const asking = machines.filter((m) => m.kernelArgs.length > 0);
  if (asking.length === 0) return;
  throw new HarnessError(
    "KERNEL_ARGS_UNSUPPORTED",
    `the ${provider} provider does not choose the kernel command line of ${asking.map((m) => m.name).join(", ")} (their own bootloader or an already running host does), so it cannot add kernelArgs ${asking[0]?.kernelArgs.join(" ") ?? ""}`,
    {
      hint: "run the scenario with --provider qemu (it boots Debian images with their kernel and the command line the scenario asks for), or drop kernelArgs",
      exitCode: ExitCode.usage,
    },
  );
}
