import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findQemuProcesses,
  machineIdFromCmdline,
  processAlive,
  readMachineRecords,
  readPidFile,
  removeRunState,
  stopQemuProcess,
  writeMachineRecord,
} from "./run-state.ts";

const runId = "20261123-184212-3f9a1c";

describe("QEMU run state", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "run-state-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    { argv: ["qemu-system-x86_64", "-name", `h-${runId}-cp`, "-M", "microvm"], id: `h-${runId}-cp` },
    { argv: ["/usr/bin/qemu-system-x86_64", "-name", `h-${runId}-cp,process=x`], id: `h-${runId}-cp` },
    { argv: ["qemu-system-x86_64", "-name", "someone-elses-vm"], id: null },
    { argv: ["sleep", "-name", `h-${runId}-cp`], id: null },
    { argv: ["qemu-system-x86_64"], id: null },
  ])("machine id of $argv is $id", ({ argv, id }) => {
    expect(machineIdFromCmdline(argv)).toBe(id);
  });

  it("writes and reads machine records per run", async () => {
    const root = join(dir, "records");
    const base = { sshPort: 40000, ownerPid: 1, createdAt: "2026-11-23T18:00:00Z" };
    await writeMachineRecord(root, { ...base, id: `h-${runId}-cp`, runId, node: "cp" });
    await writeMachineRecord(root, { ...base, id: `h-${runId}-w1`, runId, node: "w1" });
    await writeMachineRecord(root, {
      ...base,
      id: "h-20261123-000000-aaaaaa-cp",
      runId: "20261123-000000-aaaaaa",
      node: "cp",
    });
    expect((await readMachineRecords(root, runId)).map((r) => r.node)).toEqual(["cp", "w1"]);
    expect(await readMachineRecords(root)).toHaveLength(3);
    await removeRunState(root, runId);
    expect(await readMachineRecords(root)).toHaveLength(1);
  });

  it.each([
    { content: "1234\n", pid: 1234 },
    { content: "", pid: null },
    { content: undefined, pid: null },
  ])("reads pid file content $content", async ({ content, pid }) => {
    const path = join(dir, `pid-${String(content).length}-${Math.random()}`);
    if (content !== undefined) await writeFile(path, content);
    expect(await readPidFile(path)).toBe(pid);
  });

  it("finds harness QEMU processes in a /proc tree", async () => {
    const proc = join(dir, "proc");
    const put = async (pid: string, argv: string[]): Promise<void> => {
      await mkdir(join(proc, pid), { recursive: true });
      await writeFile(join(proc, pid, "cmdline"), argv.join("\0") + "\0");
    };
    await put("10", ["qemu-system-x86_64", "-name", `h-${runId}-cp`]);
    await writeFile(join(proc, "10", "environ"), "PATH=/bin\0HARNESS_QEMU_OWNER=4321\0");
    await put("11", ["qemu-system-x86_64", "-name", "other"]);
    await put("12", ["bash"]);
    await mkdir(join(proc, "self"), { recursive: true });
    expect(await findQemuProcesses(proc)).toEqual([{ pid: 10, id: `h-${runId}-cp`, ownerPid: 4321 }]);
  });

  it("stops a process carrying the machine id, and leaves others alone (real processes)", async () => {
    const id = `h-${runId}-cp`;
    const spawn = (name: string) =>
      execa("bash", ["-c", `exec -a qemu-system-x86_64 bash -c 'trap "" TERM; sleep 60; :' -name ${name}`], {
        reject: false,
        detached: true,
        stdio: "ignore",
      });
    const ours = spawn(id);
    const theirs = spawn("h-20261123-000000-bbbbbb-cp");
    await new Promise((r) => setTimeout(r, 300));
    const found = await findQemuProcesses();
    expect(found.map((p) => p.id)).toEqual(expect.arrayContaining([id]));
    const pid = ours.pid ?? 0;
    // A wrong id (pid reused by another machine) is left alone.
    await stopQemuProcess(theirs.pid ?? 0, id, 200);
    expect(processAlive(theirs.pid ?? 0)).toBe(true);
    // Ours ignores SIGTERM, so this also proves the SIGKILL escalation.
    await stopQemuProcess(pid, id, 300);
    await ours;
    expect(processAlive(pid)).toBe(false);
    for (const child of [ours, theirs]) {
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        // The group is already gone.
      }
    }
    await theirs;
  });
});
