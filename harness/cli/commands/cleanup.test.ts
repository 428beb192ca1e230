import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQemuProvider } from "../../providers/qemu/qemu-provider.ts";
import {
  findQemuProcesses,
  machineStateDir,
  ownerEnvName,
  processAlive,
  writeMachineRecord,
} from "../../providers/qemu/run-state.ts";
import { cleanupProvider } from "./cleanup.ts";

const crashed = "20261123-100000-aaaaaa";
const live = "20261123-100000-bbbbbb";

/** Starts a process that looks like one of our QEMU guests (argv[0] qemu-system-x86_64, -name h-<run>-<node>). */
function fakeQemu(runId: string, node: string, ownerPid: number) {
  return execa("bash", ["-c", `exec -a qemu-system-x86_64 bash -c 'sleep 120; :' -name h-${runId}-${node}`], {
    reject: false,
    detached: true,
    stdio: "ignore",
    env: { [ownerEnvName]: String(ownerPid) },
  });
}

describe("cleanup of crashed qemu runs (real processes standing in for QEMU)", () => {
  let dir = "";
  let deadPid = 0;
  const children: ReturnType<typeof fakeQemu>[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cleanup-"));
    const gone = execa("true");
    await gone;
    deadPid = gone.pid ?? 0;
    for (const [runId, owner] of [
      [crashed, deadPid],
      [live, process.pid],
    ] as const) {
      const child = fakeQemu(runId, "n1", owner);
      children.push(child);
      await writeMachineRecord(join(dir, "state"), {
        id: `h-${runId}-n1`,
        runId,
        node: "n1",
        sshPort: 1,
        ownerPid: owner,
        createdAt: "2026-11-23T10:00:00Z",
      });
      await writeFile(join(machineStateDir(join(dir, "state"), runId, "n1"), "qemu.pid"), `${child.pid}\n`);
      await writeFile(join(machineStateDir(join(dir, "state"), runId, "n1"), "overlay.qcow2"), "overlay");
    }
    await new Promise((r) => setTimeout(r, 200));
  });
  afterAll(async () => {
    for (const c of children) {
      try {
        process.kill(-(c.pid ?? 0), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("a dry run lists the crashed run, not the live one, and removes nothing", async () => {
    const provider = createQemuProvider({ accel: "tcg", stateRoot: join(dir, "state") });
    const outcome = await cleanupProvider(provider, { kind: "orphans" }, true);
    // Other QEMU guests on this host (other runs, other state roots) may be listed too when their owner is gone.
    expect(outcome.runs).toContainEqual({
      runId: crashed,
      machines: [`h-${crashed}-n1 (running, owner gone)`],
    });
    expect(outcome.runs.map((r) => r.runId)).not.toContain(live);
    expect(processAlive(children[0]?.pid ?? 0)).toBe(true);
  });

  it("removes the crashed run's process and state, and leaves the live run alone", async () => {
    const provider = createQemuProvider({ accel: "tcg", stateRoot: join(dir, "state") });
    // Scoped to the crashed run: a test must not remove real orphans (e.g. machines kept with --keep) on this host.
    await cleanupProvider(provider, { kind: "run", runId: crashed }, false);
    const ids = (await findQemuProcesses()).map((p) => p.id);
    expect(ids).not.toContain(`h-${crashed}-n1`);
    expect(ids).toContain(`h-${live}-n1`);
    await expect(stat(join(dir, "state", crashed))).rejects.toThrow();
    expect((await stat(join(dir, "state", live, "n1", "overlay.qcow2"))).isFile()).toBe(true);
  });

  it("--run removes a named run even while its harness lives", async () => {
    const provider = createQemuProvider({ accel: "tcg", stateRoot: join(dir, "state") });
    const outcome = await cleanupProvider(provider, { kind: "run", runId: live }, false);
    expect(outcome.runs.map((r) => r.runId)).toEqual([live]);
    expect((await findQemuProcesses()).map((p) => p.id)).not.toContain(`h-${live}-n1`);
    await expect(stat(join(dir, "state", live))).rejects.toThrow();
  });
});
