import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processAlive } from "./run-state.ts";
import { startWatchdog } from "./qemu-watchdog.ts";

/** Waits until `done()` holds, for at most `tries` half-seconds; returns whether it did. */
async function eventually(done: () => boolean, tries = 40): Promise<boolean> {
  for (let i = 0; i < tries && !done(); i++) await sleep(500);
  return done();
}

describe("the QEMU watchdog (real processes standing in for the harness and QEMU)", () => {
  let dir = "";
  const started: ResultPromise[] = [];
  /** A long-lived process whose command line names `id`, like QEMU's `-name <id>`. */
  const fakeQemu = (id: string) => {
    const p = execa("bash", ["-c", "sleep 120 & wait", id], {
      reject: false,
      detached: true,
      stdio: "ignore",
    });
    started.push(p);
    return p;
  };
  const fakeHarness = () => {
    const p = execa("sleep", ["120"], { reject: false });
    started.push(p);
    return p;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "qemu-watchdog-"));
  });
  afterAll(async () => {
    for (const p of started) {
      try {
        process.kill(p.pid ?? 0, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in harness, a stand-in QEMU whose command line names `carried`, and a watchdog for `machineId`. */
  const guarded = (machineId: string, carried = machineId) => {
    const harness = fakeHarness();
    const qemu = fakeQemu(carried);
    const keptFile = join(dir, `kept-${machineId}`);
    const watchdog = startWatchdog({ ownerPid: harness.pid!, qemuPid: qemu.pid!, machineId, keptFile });
    return { harness, qemu, keptFile, watchdog: watchdog! };
  };

  it("stops the guest when its harness dies (as with SIGKILL)", async () => {
    const { harness, qemu, watchdog } = guarded("h-20261204-000000-aaaaaa-node1");
    await sleep(300);
    expect(processAlive(qemu.pid!)).toBe(true);
    harness.kill("SIGKILL");
    expect(await eventually(() => !processAlive(qemu.pid!))).toBe(true);
    expect(await eventually(() => !processAlive(watchdog))).toBe(true);
  });

  it("keeps a machine marked as kept, and ends itself", async () => {
    const { harness, qemu, keptFile, watchdog } = guarded("h-20261204-000000-bbbbbb-node1");
    await writeFile(keptFile, "");
    harness.kill("SIGKILL");
    expect(await eventually(() => !processAlive(watchdog))).toBe(true);
    expect(processAlive(qemu.pid!)).toBe(true);
  });

  it("leaves a process alone that does not carry the machine id (a reused pid): the watchdog ends without signalling it", async () => {
    const { harness, qemu, watchdog } = guarded("h-20261204-000000-cccccc-node1", "something-else");
    expect(await eventually(() => !processAlive(watchdog))).toBe(true);
    harness.kill("SIGKILL");
    await sleep(300);
    expect(processAlive(qemu.pid!)).toBe(true);
  });
});
