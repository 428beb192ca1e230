// Per-run QEMU state on the host: one folder per machine (overlay, seed, pid file, record), and the QEMU processes they own.
import { readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { isRunId } from "../../runner/run-id.ts";

/** What the provider records about a machine it started, so a later `harness cleanup` can undo it. */
export interface QemuMachineRecord {
  id: string;
  runId: string;
  node: string;
  sshPort: number;
  /** The harness process that started it (dead owner = orphan). */
  ownerPid: number;
  createdAt: string;
}

/** A live QEMU process started by the harness (found by its `-name h-<runId>-<node>`). */
export interface QemuProcess {
  pid: number;
  id: string;
  /** The harness process that started it (from its environment), null when unknown. */
  ownerPid: number | null;
}

/** Environment variable the provider gives each QEMU process: the pid of the harness that owns it. */
export const ownerEnvName = "HARNESS_QEMU_OWNER";

/** A file in a machine's folder that tells its watchdog the machine is kept (`--keep`) after its harness ends. */
export const keptFileName = "kept";

/** Folder of one run's machines. */
export function runStateDir(stateRoot: string, runId: string): string {
  return join(stateRoot, runId);
}

/** Folder of one machine. */
export function machineStateDir(stateRoot: string, runId: string, node: string): string {
  return join(stateRoot, runId, node);
}

/** Writes a machine's record next to its overlay. */
export async function writeMachineRecord(stateRoot: string, record: QemuMachineRecord): Promise<void> {
  const dir = machineStateDir(stateRoot, record.runId, record.node);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "machine.json"), `${JSON.stringify(record, null, 2)}\n`);
}

/** Records of every machine of one run, or of all runs. */
export async function readMachineRecords(stateRoot: string, runId?: string): Promise<QemuMachineRecord[]> {
  const runs = runId === undefined ? await runsWithState(stateRoot) : [runId];
  const records: QemuMachineRecord[] = [];
  for (const run of runs) {
    for (const node of await listDir(join(stateRoot, run))) {
      try {
        records.push(
          JSON.parse(await readFile(join(stateRoot, run, node, "machine.json"), "utf8")) as QemuMachineRecord,
        );
      } catch {
        // A machine folder without a readable record: its run folder is still removed by destroy().
      }
    }
  }
  return records;
}

/** Run ids that have a state folder; entries not named like a run id are not the harness's and are left alone. */
export async function runsWithState(stateRoot: string): Promise<string[]> {
  return (await listDir(stateRoot)).filter(isRunId);
}

/** Removes a run's state folder (overlays, seeds, pid files); a name that is not a run id removes nothing. */
export async function removeRunState(stateRoot: string, runId: string): Promise<void> {
  if (!isRunId(runId)) return;
  await rm(runStateDir(stateRoot, runId), { recursive: true, force: true });
}

/** Reads a QEMU pid file; null when missing or empty. */
export async function readPidFile(path: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(path, "utf8")).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The machine id in a QEMU command line (`-name <id>`), if it is one of ours (prefix `h-`). */
export function machineIdFromCmdline(argv: string[]): string | null {
  const binary = argv[0] ?? "";
  if (!binary.includes("qemu-system")) return null;
  const at = argv.indexOf("-name");
  const name = at >= 0 ? argv[at + 1] : undefined;
  if (name === undefined) return null;
  const id = name.split(",")[0] ?? "";
  return id.startsWith("h-") ? id : null;
}

/** Every running QEMU process the harness started, found through /proc. */
export async function findQemuProcesses(procRoot = "/proc"): Promise<QemuProcess[]> {
  const found: QemuProcess[] = [];
  for (const entry of await listDir(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readCmdline(Number(entry), procRoot);
    const id = argv === null ? null : machineIdFromCmdline(argv);
    if (id !== null)
      found.push({ pid: Number(entry), id, ownerPid: await readOwnerPid(Number(entry), procRoot) });
  }
  return found;
}

/** The owner pid a process was started with (its HARNESS_QEMU_OWNER), null when absent or unreadable. */
export async function readOwnerPid(pid: number, procRoot = "/proc"): Promise<number | null> {
  try {
    const environ = (await readFile(join(procRoot, String(pid), "environ"), "utf8")).split("\0");
    const value = environ.find((e) => e.startsWith(`${ownerEnvName}=`))?.slice(ownerEnvName.length + 1);
    const owner = Number.parseInt(value ?? "", 10);
    return Number.isInteger(owner) && owner > 0 ? owner : null;
  } catch {
    return null;
  }
}

/** A process's argv, or null when it is gone. */
export async function readCmdline(pid: number, procRoot = "/proc"): Promise<string[] | null> {
  try {
    const raw = await readFile(join(procRoot, String(pid), "cmdline"), "utf8");
    return raw.split("\0").filter((a, i, all) => a !== "" || i < all.length - 1);
  } catch {
    return null;
  }
}

/** True when a process exists (and is not a zombie we could reap). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a QEMU process if it still is the machine `id` (a reused pid is left alone): SIGTERM, then SIGKILL
 * after `graceMs`. Resolves once it is gone.
 */
export async function stopQemuProcess(pid: number, id: string, graceMs = 5_000): Promise<void> {
  const argv = await readCmdline(pid);
  if (argv === null || machineIdFromCmdline(argv) !== id) return;
  signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (processAlive(pid) && Date.now() < deadline) await sleep(50);
  if (processAlive(pid)) signal(pid, "SIGKILL");
  for (let i = 0; i < 100 && processAlive(pid); i++) await sleep(50);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
