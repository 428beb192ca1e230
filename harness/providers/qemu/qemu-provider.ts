// The qemu provider: qcow2 overlays on cached images, user-mode NIC with a forwarded SSH port, a private multicast
// segment between the run's guests, KVM when it really works and TCG otherwise, QEMU processes tracked by pid file.
import { openSync, closeSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { ExitCode, HarnessError } from "../../errors.ts";
import { runsStateDir, imagesDir } from "../../images/cache-dir.ts";
import type { BootImage } from "../../images/boot-image.ts";
import { ImageStore } from "../../images/image-store.ts";
import { kernelCommandLine } from "../../images/kernel-command-line.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import { freeLoopbackPort } from "../../transport/free-port.ts";
import { KnownHosts, generateRunKeyPair } from "../../transport/ssh-keys.ts";
import { connectSsh } from "../../transport/ssh-transport.ts";
import { machineId, parseMachineId } from "../machine-id.ts";
import type { Availability, Machine, MachineRecord, Provider, ProviderContext } from "../provider.ts";
import { outputTail, runTool } from "../run-tool.ts";
import {
  chooseAccelerator,
  parseAcceleratorRequest,
  readKvmFacts,
  type AcceleratorChoice,
  type AcceleratorRequest,
  type KvmFacts,
} from "./accelerator.ts";
import { writeCloudSeed } from "./cloud-init-seed.ts";
import { writeDebianSeed } from "./debian-seed.ts";
import { qemuArgs, qemuBinary } from "./qemu-command.ts";
import { startWatchdog } from "./qemu-watchdog.ts";
import { hostTscKernelArgs } from "./tsc-hint.ts";
import { privateMacOf, privateSegmentOf } from "./private-segment.ts";
import {
  findQemuProcesses,
  keptFileName,
  machineStateDir,
  ownerEnvName,
  processAlive,
  readMachineRecords,
  readPidFile,
  removeRunState,
  runsWithState,
  stopQemuProcess,
  writeMachineRecord,
} from "./run-state.ts";

/** Options of the qemu provider. */
export interface QemuProviderOptions {
  /** auto | kvm | tcg; default from HARNESS_QEMU_ACCEL, else auto. */
  accel?: AcceleratorRequest;
  /** Machine state (overlays, seeds, pid files); default <cache>/runs. */
  stateRoot?: string;
  images?: ImageStore;
  /** Packages added to Debian images (part of their recipe hash). */
  extraPackages?: string[];
  /** How long a guest may take from QEMU start to a working SSH session; default 300 s (TCG) / 120 s (KVM). */
  bootTimeoutMs?: number;
  /** Boot attempts per machine (a failed boot is an infrastructure failure and is retried); default 2. */
  bootAttempts?: number;
  /** Under KVM, how long the kernel may take to print on the serial console before the boot counts as stuck; default 20 s. */
  kvmProgressMs?: number;
  /** The host's KVM facts; default read from /dev/kvm, /proc and /sys. */
  kvmFacts?: () => Promise<KvmFacts>;
}

/** Creates the qemu provider. */
export function createQemuProvider(options: QemuProviderOptions = {}): QemuProvider {
  return new QemuProvider(options);
}

/** Why one boot attempt failed; `kvmStuck` failures switch an `auto` run to TCG. */
class BootFailure extends Error {
  constructor(
    message: string,
    readonly kvmStuck: boolean,
  ) {
    super(message);
  }
}

/** Boots and destroys QEMU guests for runs. */
export class QemuProvider implements Provider {
  readonly name = "qemu";
  private readonly request: AcceleratorRequest;
  private readonly stateRoot: string;
  private readonly images: ImageStore;
  private choice: AcceleratorChoice | undefined;
  /** Log folders of the machines this instance created, by machine id. */
  private readonly logDirs = new Map<string, string>();

  constructor(private readonly options: QemuProviderOptions) {
    this.request = options.accel ?? parseAcceleratorRequest(process.env.HARNESS_QEMU_ACCEL);
    this.stateRoot = options.stateRoot ?? runsStateDir();
    this.images = options.images ?? new ImageStore({ imagesDir: imagesDir() });
  }

  async detect(): Promise<Availability> {
    const qemu = await runTool(qemuBinary, ["--version"], { timeoutMs: 30_000 });
    if (qemu.missing !== undefined || qemu.exitCode !== 0) {
      return {
        available: false,
        reason: `${qemuBinary} not found: apt-get install qemu-system-x86 qemu-utils`,
      };
    }
    const img = await runTool("qemu-img", ["--version"], { timeoutMs: 30_000 });
    if (img.missing !== undefined)
      return { available: false, reason: "qemu-img not found: apt-get install qemu-utils" };
    const version = qemu.stdout.split("\n")[0]?.trim() ?? "";
    const choice = chooseAccelerator(this.request === "kvm" ? "auto" : this.request, await this.kvmFacts());
    return { available: true, reason: `${version}; accelerator: ${choice.accel} (${choice.reason})` };
  }

  /** The accelerator this provider boots with and why (resolved once per instance). */
  async accelerator(): Promise<AcceleratorChoice> {
    this.choice ??= chooseAccelerator(this.request, await this.kvmFacts());
    return this.choice;
  }

  async create(machines: MachinePlan[], ctx: ProviderContext): Promise<Machine[]> {
    const choice = await this.accelerator();
    ctx.report?.({ machine: "*", state: "accelerator", detail: `${choice.accel}: ${choice.reason}` });
    const store = this.images.withReporter((line) =>
      ctx.report?.({ machine: "*", state: "image", detail: line }),
    );
    const images = new Map<string, BootImage>();
    const imageKey = (m: MachinePlan) => JSON.stringify([m.image, m.imagePackages, m.imagePayload]);
    for (const m of machines) {
      const key = imageKey(m);
      if (images.has(key)) continue;
      const payload = m.imagePayload === null ? undefined : ctx.payloads?.get(m.imagePayload);
      if (m.imagePayload !== null && payload === undefined)
        throw new HarnessError(
          "PAYLOAD_NOT_PREPARED",
          `${m.name} needs payload ${m.imagePayload}, which the runner did not prepare`,
          {
            hint: "run it through `harness run`, which builds the payload first (or `harness builds build`)",
            exitCode: ExitCode.error,
          },
        );
      const packages = [...(this.options.extraPackages ?? []), ...m.imagePackages];
      images.set(key, await store.ensure(m.image, packages, ctx.signal, payload));
    }
    const peers = machines.map((m) => ({ name: m.name, ip: m.privateIp }));
    return Promise.all(
      machines.map((m) => {
        const image = images.get(imageKey(m));
        if (image === undefined) throw new Error(`image ${m.image} was not resolved`);
        return this.createOne(m, withKernelArgs(image, m), peers, ctx);
      }),
    );
  }

  private async createOne(
    plan: MachinePlan,
    image: BootImage,
    peers: { name: string; ip: string }[],
    ctx: ProviderContext,
  ): Promise<Machine> {
    const attempts = this.options.bootAttempts ?? 2;
    const failures: string[] = [];
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.boot(plan, image, peers, ctx, attempt);
      } catch (err) {
        if (!(err instanceof BootFailure)) throw err;
        failures.push(`attempt ${attempt}: ${err.message}`);
        const choice = await this.accelerator();
        if (err.kvmStuck) {
          if (choice.explicit) {
            throw new HarnessError("KVM_BOOT_STUCK", `${plan.name}: ${err.message}`, {
              hint: "KVM does not work for these guests on this host: run again with --accel tcg (or HARNESS_QEMU_ACCEL=tcg)",
              exitCode: ExitCode.infra,
            });
          }
          this.choice = { accel: "tcg", reason: `TCG because KVM failed: ${err.message}`, explicit: false };
          ctx.report?.({
            machine: plan.name,
            state: "accelerator",
            detail: `falling back to TCG: ${err.message}`,
          });
          attempt--;
          continue;
        }
        if (attempt < attempts) {
          ctx.report?.({
            machine: plan.name,
            state: "boot-retry",
            detail: `${err.message}; booting again (infrastructure retry)`,
          });
        }
      }
    }
    throw new HarnessError("QEMU_BOOT_FAILED", `${plan.name} did not boot: ${failures.join("; ")}`, {
      hint: `look at ${join(ctx.runDir, "logs", plan.name)}/serial*.log and qemu.log; \`harness doctor\` checks the host`,
      exitCode: ExitCode.infra,
    });
  }

  /** One boot attempt: overlay, seed, QEMU, then a first SSH session. */
  private async boot(
    plan: MachinePlan,
    image: BootImage,
    peers: { name: string; ip: string }[],
    ctx: ProviderContext,
    attempt: number,
  ): Promise<Machine> {
    const choice = await this.accelerator();
    const id = machineId(ctx.runId, plan.name);
    const state = machineStateDir(this.stateRoot, ctx.runId, plan.name);
    const logs = join(ctx.runDir, "logs", plan.name);
    this.logDirs.set(id, logs);
    await mkdir(state, { recursive: true });
    // The record (and its owner) first: a cleanup that finds this folder must see a live owner, not an orphan.
    const sshPort = await freeLoopbackPort();
    await writeMachineRecord(this.stateRoot, {
      id,
      runId: ctx.runId,
      node: plan.name,
      sshPort,
      ownerPid: process.pid,
      createdAt: new Date().toISOString(),
    });
    await mkdir(logs, { recursive: true });
    const serialLog = join(logs, "serial.log");
    if (attempt > 1 || (await exists(serialLog))) {
      await rename(serialLog, join(logs, `serial.attempt${attempt - 1}.log`)).catch(() => undefined);
    }
    const overlay = join(state, "overlay.qcow2");
    await rm(overlay, { force: true });
    const base = image.kind === "kernel" ? image.rootfs : image.disk;
    const size = image.kind === "cloud" ? [`${plan.diskGiB}G`] : [];
    const created = await runTool(
      "qemu-img",
      ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base, overlay, ...size],
      {
        timeoutMs: 60_000,
      },
    );
    if (created.exitCode !== 0) {
      throw new HarnessError(
        "QEMU_OVERLAY_FAILED",
        `could not create ${overlay} on ${base}: ${created.missing ?? outputTail(created.stderr)}`,
        {
          hint: "check free disk space (`harness doctor`) and that the base image exists (`harness images verify`)",
          exitCode: ExitCode.infra,
        },
      );
    }

    const privateMac = privateMacOf(plan.privateIp);
    let hostKey: string;
    let seedPath: string;
    if (image.kind === "kernel") {
      seedPath = join(state, "seed.tar");
      hostKey = image.hostKey;
      await writeDebianSeed(
        {
          hostname: plan.name,
          authorizedKey: ctx.keyPair.publicKey,
          privateIp: plan.privateIp,
          privateMac,
          peers,
          files: [],
        },
        join(state, "seed"),
        seedPath,
        image.makeSeed,
      );
    } else {
      seedPath = join(state, "seed.iso");
      const keyDir = join(state, "host-key");
      await rm(keyDir, { recursive: true, force: true });
      const pair = await generateRunKeyPair(keyDir, `root@${plan.name}`);
      hostKey = pair.publicKey;
      await writeCloudSeed(
        {
          instanceId: id,
          hostname: plan.name,
          authorizedKey: ctx.keyPair.publicKey,
          hostKey: { privateKey: await readFile(pair.privateKeyPath, "utf8"), publicKey: pair.publicKey },
          privateIp: plan.privateIp,
          privateMac,
          peers,
          files: [],
        },
        join(state, "seed"),
        seedPath,
      );
    }

    const pidFile = join(state, "qemu.pid");
    await rm(pidFile, { force: true });
    const args = qemuArgs({
      id,
      accel: choice.accel,
      cpus: plan.cpus,
      memoryMiB: plan.memoryMiB,
      image,
      overlayPath: overlay,
      seedPath,
      sshPort,
      segment: privateSegmentOf(ctx.runId),
      privateMac,
      serialLog,
      pidFile,
      verboseConsole: choice.accel === "kvm",
      extraAppend: choice.accel === "tcg" ? await hostTscKernelArgs() : "",
      restrictOutbound: plan.outbound === "none",
    });

    const qemuLog = join(logs, "qemu.log");
    const logFd = openSync(qemuLog, "a");
    const child = spawn(qemuBinary, args, {
      detached: true,
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, [ownerEnvName]: String(process.pid) },
    });
    closeSync(logFd);
    child.unref();
    if (child.pid !== undefined)
      startWatchdog({
        ownerPid: process.pid,
        qemuPid: child.pid,
        machineId: id,
        keptFile: join(state, keptFileName),
      });
    ctx.report?.({
      machine: plan.name,
      state: "booting",
      detail: `${choice.accel}, ssh on 127.0.0.1:${sshPort}, pid ${child.pid ?? "?"}, attempt ${attempt}`,
    });
    const exited = new AbortController();
    let exitDetail = "";
    child.once("exit", (code, sig) => {
      exitDetail = sig ? `signal ${sig}` : `exit code ${code}`;
      exited.abort();
    });
    child.once("error", (err) => {
      exitDetail = err.message;
      exited.abort();
    });

    const fail = async (message: string, kvmStuck: boolean): Promise<never> => {
      const pid = child.pid;
      if (pid !== undefined && processAlive(pid)) await stopQemuProcess(pid, id);
      const log = outputTail(await readFile(qemuLog, "utf8").catch(() => ""), 3);
      throw new BootFailure(
        log === "" ? message : `${message} (qemu: ${log.replace(/\n/g, " | ")})`,
        kvmStuck,
      );
    };

    const startedAt = performance.now();
    if (choice.accel === "kvm") {
      const progressMs = this.options.kvmProgressMs ?? 20_000;
      while (!(await serialShowsKernel(serialLog))) {
        if (exited.signal.aborted)
          return fail(`QEMU exited under KVM (${exitDetail}) before the kernel printed anything`, true);
        if (performance.now() - startedAt > progressMs) {
          return fail(
            `no kernel progress on the serial console within ${Math.round(progressMs / 1000)} s under KVM`,
            true,
          );
        }
        await sleep(200);
      }
    }

    const bootTimeoutMs = this.options.bootTimeoutMs ?? (choice.accel === "kvm" ? 120_000 : 300_000);
    const signal = ctx.signal === undefined ? exited.signal : AbortSignal.any([exited.signal, ctx.signal]);
    const endpoint = {
      host: "127.0.0.1",
      port: sshPort,
      user: "root",
      privateKeyPath: ctx.keyPair.privateKeyPath,
      hostKey,
    };
    try {
      const transport = await connectSsh({
        endpoint,
        name: plan.name,
        knownHosts: new KnownHosts(join(ctx.runDir, "known_hosts")),
        connectTimeoutMs: bootTimeoutMs,
        signal,
        onRetry: (r) =>
          ctx.report?.({
            machine: plan.name,
            state: "ssh-retry",
            detail: `attempt ${r.attempt}, ${(r.elapsedMs / 1000).toFixed(1)} s into the wait for SSH: ${r.error}`,
          }),
      });
      const check = await transport.exec("true", { timeoutMs: 60_000 });
      await transport.close();
      if (check.exitCode !== 0)
        return fail(`first command failed: ${check.transportError ?? check.stderr}`, false);
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      if (exited.signal.aborted) return fail(`QEMU exited during boot (${exitDetail})`, false);
      if (err instanceof HarnessError && err.code === "SSH_HOST_KEY_MISMATCH") throw err;
      return fail(`no SSH within ${Math.round(bootTimeoutMs / 1000)} s`, false);
    }
    const pid = (await readPidFile(pidFile)) ?? child.pid;
    ctx.report?.({
      machine: plan.name,
      state: "ready",
      detail: `ssh after ${((performance.now() - startedAt) / 1000).toFixed(1)} s (pid ${pid})`,
    });
    return { name: plan.name, id, runId: ctx.runId, ssh: endpoint, privateIp: plan.privateIp };
  }

  async list(runId?: string): Promise<MachineRecord[]> {
    const records = await readMachineRecords(this.stateRoot, runId);
    const processes = (await findQemuProcesses()).filter(
      (p) => runId === undefined || parseMachineId(p.id)?.runId === runId,
    );
    const out = new Map<string, MachineRecord>();
    for (const r of records) {
      const running = processes.some((p) => p.id === r.id);
      const owner = processAlive(r.ownerPid) ? "" : ", owner gone";
      out.set(r.id, { id: r.id, runId: r.runId, state: `${running ? "running" : "stopped"}${owner}` });
    }
    for (const p of processes) {
      if (!out.has(p.id))
        out.set(p.id, {
          id: p.id,
          runId: parseMachineId(p.id)?.runId ?? "?",
          state: "running, no state folder",
        });
    }
    return [...out.values()];
  }

  /**
   * Runs left behind by a crashed harness: a state folder whose recorded owner is gone, or a QEMU process whose
   * owner (HARNESS_QEMU_OWNER in its environment) is gone, wherever its state lives. Runs whose owner cannot be
   * told (a QEMU whose environment cannot be read, a state folder without a machine record) are `undetermined`:
   * listed, and removed only on `--force`. Runs whose harness is alive are neither.
   */
  async orphanRuns(): Promise<{ orphans: string[]; undetermined: string[] }> {
    const records = await readMachineRecords(this.stateRoot);
    const orphans = new Set<string>();
    const undetermined = new Set<string>();
    const owned = new Set<string>();
    for (const r of records) (processAlive(r.ownerPid) ? owned : orphans).add(r.runId);
    for (const run of await runsWithState(this.stateRoot)) {
      if (!records.some((r) => r.runId === run)) undetermined.add(run);
    }
    for (const p of await findQemuProcesses()) {
      const run = parseMachineId(p.id)?.runId;
      if (run === undefined) continue;
      if (p.ownerPid === null) undetermined.add(run);
      else (processAlive(p.ownerPid) ? owned : orphans).add(run);
    }
    const free = (runs: Set<string>) => [...runs].filter((r) => !owned.has(r)).sort();
    return { orphans: free(orphans), undetermined: free(undetermined).filter((r) => !orphans.has(r)) };
  }

  async keep(runId: string): Promise<void> {
    for (const r of await readMachineRecords(this.stateRoot, runId))
      await writeFile(join(machineStateDir(this.stateRoot, runId, r.node), keptFileName), "");
  }

  async destroy(runId: string): Promise<void> {
    const records = await readMachineRecords(this.stateRoot, runId);
    const byId = new Map<string, number>();
    for (const r of records) {
      const pid = await readPidFile(join(machineStateDir(this.stateRoot, runId, r.node), "qemu.pid"));
      if (pid !== null) byId.set(r.id, pid);
    }
    for (const p of await findQemuProcesses()) {
      if (parseMachineId(p.id)?.runId === runId) byId.set(p.id, p.pid);
    }
    await Promise.all([...byId].map(([id, pid]) => stopQemuProcess(pid, id)));
    await removeRunState(this.stateRoot, runId);
  }

  async collectLogs(machine: Machine, dir: string): Promise<string[]> {
    const logs = this.logDirs.get(machine.id);
    if (logs === undefined) return [];
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    const names = (await readdir(logs).catch(() => [])).filter((f) =>
      /^(serial(\.attempt\d+)?|qemu)\.log$/.test(f),
    );
    for (const file of names) {
      const from = join(logs, file);
      const to = join(dir, file);
      // The logs are written into the run's folder from the start: then there is nothing to copy, only to report.
      if (from !== to) await copyFile(from, to);
      written.push(to);
    }
    return written;
  }

  private kvmFacts(): Promise<KvmFacts> {
    return (this.options.kvmFacts ?? readKvmFacts)();
  }
}

/** True once the kernel proper (not just firmware or the decompressor) printed on the serial console. */
async function serialShowsKernel(serialLog: string): Promise<boolean> {
  const text = await readFile(serialLog, "utf8").catch(() => "");
  return /Linux version \d/.test(text);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The boot image with the machine's kernelArgs applied to its command line (cloud images cannot take any). */
function withKernelArgs(image: BootImage, plan: MachinePlan): BootImage {
  if (plan.kernelArgs.length === 0) return image;
  if (image.kind !== "kernel")
    throw new HarnessError(
      "KERNEL_ARGS_UNSUPPORTED",
      `${plan.name}: image ${image.name} boots with its own bootloader, so kernelArgs (${plan.kernelArgs.join(" ")}) cannot reach its kernel`,
      {
        hint: "use a Debian image (booted with its kernel by the harness), or drop kernelArgs",
        exitCode: ExitCode.usage,
      },
    );
  return { ...image, append: kernelCommandLine(image.append, plan.kernelArgs) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
