// Kernel arguments that tell a TCG guest the TSC rate (the host's): without them a busy host makes the guest's PIT
// calibration fail and the boot hang or crawl (see images/debian/README.md, "tsc_early_khz").
import { readFile } from "node:fs/promises";

/** `tsc_early_khz=K tsc=reliable lpj=4K` for a host whose TSC is invariant, else "" (Debian kernels: HZ=250). */
export function tscKernelArgs(cpuinfo: string): string {
  const flags = new Set(/^flags\s*:(.*)$/m.exec(cpuinfo)?.[1]?.trim().split(/\s+/) ?? []);
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo)?.[1] ?? "0");
  if (!flags.has("constant_tsc") || !flags.has("nonstop_tsc") || !(mhz > 0)) return "";
  const khz = Math.floor(mhz * 1000);
  return `tsc_early_khz=${khz} tsc=reliable lpj=${khz * 4}`;
}

/** The arguments for this host (from /proc/cpuinfo). */
export async function hostTscKernelArgs(): Promise<string> {
  return tscKernelArgs(await readFile("/proc/cpuinfo", "utf8").catch(() => ""));
}
