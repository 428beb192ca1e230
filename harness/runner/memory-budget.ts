// How much memory cells may use at once: the host's available memory against the sum of their machines'.
import { readFileSync } from "node:fs";
import { freemem } from "node:os";
import type { Plan } from "../plan/plan.ts";

/** What one VM costs the host beyond its guest memory (QEMU itself, page tables), MiB. */
export const perMachineOverheadMiB = 256;

/** Host memory a plan's machines need, MiB. */
export function planMemoryMiB(plan: Pick<Plan, "machines">): number {
  return plan.machines.reduce((sum, m) => sum + m.memoryMiB + perMachineOverheadMiB, 0);
}

/** MemAvailable from /proc/meminfo (what can be used without swapping), or os.freemem() elsewhere, MiB. */
export function availableMemoryMiB(meminfo?: string): number {
  let text = meminfo;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/meminfo", "utf8");
    } catch {
      return Math.floor(freemem() / 1024 / 1024);
    }
  }
  const match = /^MemAvailable:\s+(\d+) kB/m.exec(text);
  return match ? Math.floor(Number(match[1]) / 1024) : Math.floor(freemem() / 1024 / 1024);
}
