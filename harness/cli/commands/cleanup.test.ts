import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
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
const unknownOwner = "20261123-100000-cccccc";
const noRecord = "20261123-100000-dddddd";

/**
 * Starts a process that looks like one of our QEMU guests (argv[0] qemu-system-x86_64, -name h-<run>-<node>),
 * with its owner in the environment, or none (as when the environment cannot be read).
 */
function fakeQemu(runId: string, node: string, ownerPid: number | null) {
  return execa("bash", ["-c", `exec -a qemu-system-x86_64 bash -c 'sleep 120; :' -name h-${runId}-${node}`], {
    reject: false,
    detached: true,
    stdio: "ignore",
    extendEnv: false,
    env:
      ownerPid === null
        ? { PATH: process.env.PATH }
        : { PATH: process.env.PATH, [ownerEnvName]: String(ownerPid) },
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
    children.push(fakeQemu(unknownOwner, "n1", null));
    await mkdir(machineStateDir(join(dir, "state"), noRecord, "n1"), { recursive: true });
    await writeFile(join(machineStateDir(join(dir, "state"), noRecord, "n1"), "overlay.qcow2"), "overlay");
    await mkdir(join(dir, "state", "not-a-run"));
    await writeFile(join(dir, "state", "notes.txt"), "the user's\n");
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
    const outcome = await cleanupProvider(provider, { kind: "orphans", force: false }, true);
    // Other QEMU guests on this host (other runs, other state roots) may be listed too when their owner is gone.
    expect(outcome.runs).toContainEqual({
      runId: crashed,
      machines: [`h-${crashed}-n1 (running, owner gone)`],
    });
    expect(outcome.runs.map((r) => r.runId)).not.toContain(live);
    expect(processAlive(children[0]?.pid ?? 0)).toBe(true);
  });

  it("leaves alone, and lists, a QEMU whose owner cannot be read and a state folder without a record; --force takes them", async () => {
    const provider = createQemuProvider({ accel: "tcg", stateRoot: join(dir, "state") });
    const outcome = await cleanupProvider(provider, { kind: "orphans", force: false }, true);
    expect(outcome.runs.map((r) => r.runId)).not.toContain(unknownOwner);
    expect(outcome.runs.map((r) => r.runId)).not.toContain(noRecord);
    expect(outcome.leftAlone).toContainEqual({
      runId: unknownOwner,
      machines: [`h-${unknownOwner}-n1 (running, no state folder)`],
    });
    expect(outcome.leftAlone).toContainEqual({ runId: noRecord, machines: [] });
    const forced = await cleanupProvider(provider, { kind: "orphans", force: true }, true);
    expect(forced.runs.map((r) => r.runId)).toEqual(
      expect.arrayContaining([crashed, unknownOwner, noRecord]),
    );
    expect(forced.leftAlone).toEqual([]);
  });

  it("never treats an entry not named like a run id as a run, even with --force", async () => {
    const provider = createQemuProvider({ accel: "tcg", stateRoot: join(dir, "state") });
    await cleanupProvider(provider, { kind: "run", runId: noRecord }, false);
    const forced = await cleanupProvider(provider, { kind: "orphans", force: true }, true);
    const named = [...forced.runs, ...forced.leftAlone].map((r) => r.runId);
    expect(named).not.toContain("not-a-run");
    expect(named).not.toContain("notes.txt");
    await provider.destroy("notes.txt");
    expect(await readFile(join(dir, "state", "notes.txt"), "utf8")).toBe("the user's\n");
    expect((await stat(join(dir, "state", "not-a-run"))).isDirectory()).toBe(true);
    await expect(stat(join(dir, "state", noRecord))).rejects.toThrow();
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
