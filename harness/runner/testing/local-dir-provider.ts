// Test-only provider: each "machine" is a directory on the host, its commands host processes run inside it.
// Used by the runner's tests and `--provider local-dir`; it isolates nothing and must never run recipes.
import { mkdir, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { machineId, parseMachineId } from "../../providers/machine-id.ts";
import type {
  Availability,
  Machine,
  MachineRecord,
  Provider,
  ProviderContext,
} from "../../providers/provider.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import type { AccessDescribing } from "../runner-deps.ts";

/** Machines as directories under `baseDir`; `destroy` kills every process still working in them. */
export class LocalDirProvider implements Provider, AccessDescribing {
  readonly name = "local-dir";

  constructor(
    readonly baseDir: string,
    /** `failCreate`: create throws it (a message becomes a plain Error, as a provider's tool failing would). */
    private readonly options: { createDelayMs?: number; failCreate?: string | Error } = {},
  ) {}

  detect(): Promise<Availability> {
    return Promise.resolve({ available: true, reason: `machines are directories under ${this.baseDir}` });
  }

  /** The directory of a machine. */
  dirOf(runId: string, node: string): string {
    return path.join(this.baseDir, machineId(runId, node));
  }

  async create(machines: MachinePlan[], ctx: ProviderContext): Promise<Machine[]> {
    const fail = this.options.failCreate;
    if (fail !== undefined) throw typeof fail === "string" ? new Error(fail) : fail;
    await mkdir(this.baseDir, { recursive: true });
    const created: Machine[] = [];
    for (const m of machines) {
      const dir = this.dirOf(ctx.runId, m.name);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, ".machine.json"), JSON.stringify({ ...m, runId: ctx.runId }));
      ctx.report?.({ machine: m.name, state: "booted", detail: dir });
      if (this.options.createDelayMs)
        await new Promise<void>((resolve) => setTimeout(resolve, this.options.createDelayMs).unref());
      created.push({
        name: m.name,
        id: machineId(ctx.runId, m.name),
        runId: ctx.runId,
        privateIp: m.privateIp,
        ssh: { host: "localhost", port: 0, user: "root", privateKeyPath: ctx.keyPair.privateKeyPath },
      });
    }
    return created;
  }

  async list(runId?: string): Promise<MachineRecord[]> {
    let entries: string[];
    try {
      entries = await readdir(this.baseDir);
    } catch {
      return [];
    }
    return entries
      .map((e) => ({ e, id: parseMachineId(e) }))
      .filter(({ id }) => id !== null && (runId === undefined || id.runId === runId))
      .map(({ e, id }) => ({ id: e, runId: id!.runId, state: "running" }));
  }

  async destroy(runId: string): Promise<void> {
    const machines = await this.list(runId);
    const dirs = machines.map((m) => path.join(this.baseDir, m.id));
    await killProcessesIn(dirs);
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }

  async collectLogs(machine: Machine, dir: string): Promise<string[]> {
    const source = path.join(this.dirOf(machine.runId, machine.name), ".machine.json");
    const target = path.join(dir, "provider-machine.json");
    await writeFile(target, await readFile(source, "utf8"));
    return [target];
  }

  accessCommand(machine: Machine): string {
    return `cd ${this.dirOf(machine.runId, machine.name)}`;
  }
}

/** Kills (SIGKILL) every process whose working directory lies in one of `dirs`. */
export async function killProcessesIn(dirs: string[]): Promise<number[]> {
  if (dirs.length === 0) return [];
  const killed: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cwd: string;
    try {
      cwd = await readlink(`/proc/${entry}/cwd`);
    } catch {
      continue;
    }
    if (dirs.some((d) => cwd === d || cwd.startsWith(`${d}/`))) {
      try {
        process.kill(pid, "SIGKILL");
        killed.push(pid);
      } catch {
        // Already gone.
      }
    }
  }
  return killed;
}
