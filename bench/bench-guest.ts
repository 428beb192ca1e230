// Shared by the benchmarks: boots Debian 13 guests with the qemu provider in a throwaway run and tears them down.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MachinePlan } from "../harness/plan/plan.ts";
import type { Machine, RunKeyPair } from "../harness/providers/provider.ts";
import { createQemuProvider, type QemuProvider } from "../harness/providers/qemu/qemu-provider.ts";
import { newRunId } from "../harness/runner/run-id.ts";
import { generateRunKeyPair } from "../harness/transport/ssh-keys.ts";

/** A booted set of guests and how long each took from QEMU start to a working SSH session. */
export interface BenchRun {
  runId: string;
  runDir: string;
  keyPair: RunKeyPair;
  machines: Machine[];
  /** Seconds from the `booting` report to the `ready` report, per machine. */
  bootSeconds: Record<string, number>;
  /** Seconds the whole create() took (image check, overlays, seeds, boots). */
  createSeconds: number;
  destroy(): Promise<void>;
}

/** Boots `count` Debian 13 guests in parallel under TCG. */
export async function bootGuests(count: number, cpus = 2, memoryMiB = 2048): Promise<BenchRun> {
  const runDir = await mkdtemp(join(tmpdir(), "bench-"));
  const runId = newRunId(Date.now());
  const keyPair = await generateRunKeyPair(join(runDir, "keys"), `bench-${runId}`);
  const provider: QemuProvider = createQemuProvider({ accel: "tcg", bootAttempts: 1 });
  const plans: MachinePlan[] = Array.from({ length: count }, (_, i) => ({
    name: `b${i + 1}`,
    role: "standalone",
    cpus,
    memoryMiB,
    diskGiB: 4,
    image: "debian-13",
    imagePackages: [],
    imagePayload: null,
    kernelArgs: [],
    outbound: "debian-mirror",
    privateIp: `10.200.0.${11 + i}`,
  }));
  const started = new Map<string, number>();
  const bootSeconds: Record<string, number> = {};
  const t0 = performance.now();
  const destroy = async (): Promise<void> => {
    await provider.destroy(runId);
    await rm(runDir, { recursive: true, force: true });
  };
  try {
    const machines = await provider.create(plans, {
      runId,
      runDir,
      keyPair,
      report: (e) => {
        if (e.state === "booting") started.set(e.machine, performance.now());
        if (e.state === "ready")
          bootSeconds[e.machine] = (performance.now() - (started.get(e.machine) ?? t0)) / 1000;
      },
    });
    return {
      runId,
      runDir,
      keyPair,
      machines,
      bootSeconds,
      createSeconds: (performance.now() - t0) / 1000,
      destroy,
    };
  } catch (err) {
    await destroy();
    throw err;
  }
}

/** Median, 10th and 90th percentile of a sample. */
export function summarize(values: number[]): { median: number; p10: number; p90: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), n: sorted.length };
}

/** The host's 1-minute load average, printed beside every figure (other work on the host skews them). */
export async function loadAverage(): Promise<string> {
  const { loadavg } = await import("node:os");
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
}
