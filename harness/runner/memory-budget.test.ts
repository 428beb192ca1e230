import { describe, expect, it } from "vitest";
import { availableMemoryMiB, perMachineOverheadMiB, planMemoryMiB } from "./memory-budget.ts";

describe("memory budget", () => {
  it("adds the per-VM overhead to each machine's memory", () => {
    const machines = [{ memoryMiB: 2048 }, { memoryMiB: 1024 }] as never;
    expect(planMemoryMiB({ machines })).toBe(3072 + 2 * perMachineOverheadMiB);
  });

  it("reads MemAvailable (kB) from /proc/meminfo text", () => {
    expect(
      availableMemoryMiB("MemTotal:       24684000 kB\nMemFree: 1 kB\nMemAvailable:   23484416 kB\n"),
    ).toBe(22934);
  });
});
