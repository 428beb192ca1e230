// The vagrant provider: one Vagrant project per run, `vagrant up` once, `vagrant ssh-config` read once into plain SSH endpoints.
import { createWriteStream } from "node:fs";
import { copyFile, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ExitCode, HarnessError } from "../../errors.ts";
import type { ImageName } from "../../images/image-names.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import { isRunId } from "../../runner/run-id.ts";
import { machineId, parseMachineId } from "../machine-id.ts";
import type { Availability, Machine, MachineRecord, Provider, ProviderContext } from "../provider.ts";
import { outputTail, runTool, type ToolResult } from "../run-tool.ts";
import { parseVagrantStatus } from "./machine-readable.ts";
import { parseSshConfig } from "./ssh-config.ts";
import {
  destroyArgv,
  pluginListArgv,
  sshConfigArgv,
  statusArgv,
  upArgv,
  versionArgv,
  type VagrantProviderName,
} from "./vagrant-argv.ts";
import { vagrantBoxFor, type VagrantBox } from "./vagrant-box.ts";
import { upError } from "./vagrant-errors.ts";
import { renderVagrantfile, type LibvirtSettings, type VagrantfileMachine } from "./vagrantfile.ts";
import { refuseKernelArgs } from "../kernel-args-support.ts";

/** Per-machine libvirt settings a `prepareMachine` hook may give (fixed MACs, QEMU arguments such as a seed). */
export type VagrantMachineExtras = Pick<VagrantfileMachine, "managementMac" | "privateMac" | "qemuArgs">;

/** What a `prepareMachine` hook gets. */
export interface PrepareMachineContext {
  runId: string;
  runDir: string;
  /** Position of the machine in the plan (0-based), e.g. to derive MACs. */
  index: number;
  /** The run's public key. */
  publicKey: string;
}

/** Options of the vagrant provider. */
export interface VagrantProviderOptions {
  /** The vagrant executable; default `vagrant` from PATH. */
  binary?: string;
  /** Words put before every vagrant command, e.g. `["ip", "netns", "exec", "harness"]` to run inside a network namespace. */
  commandPrefix?: string[];
  /** The Vagrant provider; default `libvirt` (the only one that brings machines up in parallel). */
  provider?: VagrantProviderName;
  /** Boxes per image, over the defaults (Bento's Ubuntu boxes); Debian images need one here. */
  boxes?: Partial<Record<ImageName, VagrantBox>>;
  /** Where each run's Vagrant project lives (`<projectsDir>/<runId>/Vagrantfile`); default `$XDG_STATE_HOME/k8s-node-harness/vagrant`. */
  projectsDir?: string;
  /**
   * The key the box accepts before the run key is installed; default Vagrant's insecure key in VAGRANT_HOME.
   * null when the box already trusts the run key (e.g. from a seed).
   */
  bootstrapKeyPath?: string | null;
  /** The guest sets its own hostname and private address (e.g. from a seed): vagrant must not try to. */
  guestSelfConfigured?: boolean;
  /** Called per machine before the Vagrantfile is written, for libvirt extras (fixed MACs, a seed as QEMU arguments). */
  prepareMachine?: (machine: MachinePlan, context: PrepareMachineContext) => Promise<VagrantMachineExtras>;
  /** SSH user vagrant logs in as (`root` for the harness's Debian box); Vagrant's default `vagrant` when absent. */
  sshUsername?: string;
  /** `%c` for guests without sudo. */
  sshSudoCommand?: string;
  /** vagrant-libvirt settings: driver (`qemu` for TCG), URI, direct kernel boot, NIC PCI slot. */
  libvirt?: LibvirtSettings;
  /** Seconds vagrant waits for each guest to answer SSH; default 900. */
  bootTimeoutS?: number;
  /** Kill `vagrant up` after this long; default 30 minutes. */
  upTimeoutMs?: number;
  /** Extra environment for vagrant, e.g. `VAGRANT_HOME` or `LIBVIRT_DEFAULT_URI`. */
  env?: Record<string, string>;
}

/** Timeout of the quick commands (status, ssh-config, version). */
const quickTimeoutMs = 180_000;

/** Creates the vagrant provider. */
export function createVagrantProvider(options: VagrantProviderOptions = {}): Provider {
  return new VagrantProvider(options);
}

/** The default home of the per-run Vagrant projects. */
function defaultProjectsDir(): string {
  const state = process.env.XDG_STATE_HOME ?? join(homedir(), ".local", "state");
  return join(state, "k8s-node-harness", "vagrant");
}

class VagrantProvider implements Provider {
  readonly name = "vagrant";
  private readonly binary: string;
  private readonly provider: VagrantProviderName;
  private readonly projectsDir: string;
  private readonly bootTimeoutS: number;
  /** Files worth keeping per run (Vagrantfile, up log), recorded by create() for collectLogs(). */
  private readonly runFiles = new Map<string, string[]>();
  /** Serial console files (libvirt), by machine id. */
  private readonly serialLogs = new Map<string, string>();

  constructor(private readonly options: VagrantProviderOptions) {
    this.binary = options.binary ?? "vagrant";
    this.provider = options.provider ?? "libvirt";
    this.projectsDir = options.projectsDir ?? defaultProjectsDir();
    this.bootTimeoutS = options.bootTimeoutS ?? 900;
  }

  async detect(): Promise<Availability> {
    const version = await this.vagrant(versionArgv(), { timeoutMs: 60_000 });
    if (version.missing !== undefined || version.exitCode !== 0) {
      return {
        available: false,
        reason: `${this.binary} does not run (${version.missing ?? (outputTail(version.stderr, 2) || `exit code ${String(version.exitCode)}`)}); install it with \`apt-get install vagrant vagrant-libvirt\``,
      };
    }
    const vagrantVersion = version.stdout.trim();
    if (this.provider === "virtualbox") {
      const vbox = await runTool("VBoxManage", ["--version"], { timeoutMs: 30_000 });
      return vbox.exitCode === 0
        ? { available: true, reason: `${vagrantVersion} with VirtualBox ${vbox.stdout.trim()}` }
        : { available: false, reason: `${vagrantVersion} is installed but VirtualBox (VBoxManage) is not` };
    }
    const plugins = await this.vagrant(pluginListArgv(), { timeoutMs: 60_000 });
    const plugin = /^vagrant-libvirt\s*\(([^)]*)\)/m.exec(plugins.stdout);
    if (!plugin) {
      return {
        available: false,
        reason: `${vagrantVersion} is installed but the vagrant-libvirt plugin is not; install it with \`apt-get install vagrant-libvirt\``,
      };
    }
    const uri = this.options.libvirt?.uri ?? this.options.env?.LIBVIRT_DEFAULT_URI ?? "qemu:///system";
    const virsh = await this.prefixed("virsh", ["-c", uri, "version"], { timeoutMs: 30_000 });
    if (virsh.missing === undefined && virsh.exitCode !== 0) {
      return {
        available: false,
        reason: `${vagrantVersion} with vagrant-libvirt ${plugin[1] ?? ""}, but libvirt at ${uri} does not answer (${outputTail(virsh.stderr, 2)}); start libvirtd (\`virtlogd -d && libvirtd -d\`)`,
      };
    }
    const libvirt =
      virsh.missing === undefined ? `libvirt at ${uri} answers` : "libvirtd not checked (no virsh)";
    return {
      available: true,
      reason: `${vagrantVersion} with vagrant-libvirt ${plugin[1] ?? ""}; ${libvirt}`,
    };
  }

  async create(machines: MachinePlan[], ctx: ProviderContext): Promise<Machine[]> {
    refuseKernelArgs(machines, "vagrant");
    const boxes = new Map(
      machines.map((m) => [m.name, vagrantBoxFor(m.image, m.name, this.options.boxes ?? {})]),
    );
    const project = join(this.projectsDir, ctx.runId);
    const recordDir = join(ctx.runDir, "providers", "vagrant");
    await mkdir(project, { recursive: true });
    await mkdir(recordDir, { recursive: true });
    const serialLogs = new Map<string, string>();
    const vagrantMachines: VagrantfileMachine[] = [];
    for (const [index, m] of machines.entries()) {
      const extras = this.options.prepareMachine
        ? await this.options.prepareMachine(m, {
            runId: ctx.runId,
            runDir: ctx.runDir,
            index,
            publicKey: ctx.keyPair.publicKey,
          })
        : {};
      const serialLog = join(recordDir, `${m.name}-serial.log`);
      if (this.provider === "libvirt") serialLogs.set(machineId(ctx.runId, m.name), serialLog);
      vagrantMachines.push({
        id: machineId(ctx.runId, m.name),
        hostname: m.name,
        box: boxes.get(m.name) ?? { name: "", version: "" },
        cpus: m.cpus,
        memoryMiB: m.memoryMiB,
        privateIp: m.privateIp,
        ...extras,
        ...(this.provider === "libvirt" ? { serialLog } : {}),
      });
    }
    const bootstrapKey =
      this.options.bootstrapKeyPath === undefined ? this.insecureKeyPath() : this.options.bootstrapKeyPath;
    const vagrantfile = renderVagrantfile({
      provider: this.provider,
      runId: ctx.runId,
      machines: vagrantMachines,
      authorizedKey: ctx.keyPair.publicKey,
      privateKeyPaths: [ctx.keyPair.privateKeyPath, ...(bootstrapKey === null ? [] : [bootstrapKey])],
      bootTimeoutS: this.bootTimeoutS,
      ...(this.options.guestSelfConfigured ? { guestSelfConfigured: true } : {}),
      ...(this.options.sshUsername ? { sshUsername: this.options.sshUsername } : {}),
      ...(this.options.sshSudoCommand ? { sshSudoCommand: this.options.sshSudoCommand } : {}),
      ...(this.options.libvirt ? { libvirt: this.options.libvirt } : {}),
    });
    await writeFile(join(project, "Vagrantfile"), vagrantfile);
    const recordedVagrantfile = join(recordDir, "Vagrantfile");
    await writeFile(recordedVagrantfile, vagrantfile);
    const logPath = join(recordDir, "vagrant-up.log");
    this.runFiles.set(ctx.runId, [recordedVagrantfile, logPath]);
    for (const [id, serialLog] of serialLogs) this.serialLogs.set(id, serialLog);

    for (const m of machines)
      ctx.report?.({
        machine: m.name,
        state: "vagrant-up",
        detail: `${this.provider} box ${boxes.get(m.name)?.name ?? ""}`,
      });
    const log = createWriteStream(logPath);
    const up = await this.vagrant(upArgv(this.provider), {
      cwd: project,
      timeoutMs: this.options.upTimeoutMs ?? 30 * 60_000,
      onOutput: (chunk) => log.write(chunk),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    await new Promise<void>((resolve) => log.end(resolve));
    this.throwIfMissing(up);
    if (up.exitCode !== 0) {
      throw upError({
        output: `${up.stdout}\n${up.stderr}`,
        exitCode: up.exitCode,
        timedOut: up.timedOut,
        runId: ctx.runId,
        logPath,
        bootTimeoutS: this.bootTimeoutS,
      });
    }

    const sshConfig = await this.vagrant(sshConfigArgv(), { cwd: project, timeoutMs: quickTimeoutMs });
    this.throwIfFailed(sshConfig, "ssh-config", ctx.runId);
    await writeFile(join(recordDir, "ssh-config.txt"), sshConfig.stdout);
    const hosts = new Map(parseSshConfig(sshConfig.stdout).map((h) => [h.host, h]));
    return machines.map((m) => {
      const id = machineId(ctx.runId, m.name);
      const host = hosts.get(id);
      if (host === undefined) {
        throw new HarnessError(
          "VAGRANT_NO_SSH_CONFIG",
          `vagrant ssh-config printed no Host block for ${id}`,
          {
            hint: `run \`vagrant ssh-config\` in ${project} to see what vagrant knows; the machine may have failed to come up`,
            exitCode: ExitCode.infra,
          },
        );
      }
      ctx.report?.({
        machine: m.name,
        state: "ssh-endpoint",
        detail: `${host.user ?? "?"}@${host.hostName}:${host.port}`,
      });
      return {
        name: m.name,
        id,
        runId: ctx.runId,
        privateIp: m.privateIp,
        ssh: {
          host: host.hostName,
          port: host.port,
          user: host.user ?? this.options.sshUsername ?? "vagrant",
          privateKeyPath: ctx.keyPair.privateKeyPath,
        },
      };
    });
  }

  async list(runId?: string): Promise<MachineRecord[]> {
    const runIds = runId !== undefined ? [runId] : await this.projectRunIds();
    const records: MachineRecord[] = [];
    for (const id of runIds) {
      const project = join(this.projectsDir, id);
      if (!(await exists(join(project, "Vagrantfile")))) continue;
      const status = await this.vagrant(statusArgv(), { cwd: project, timeoutMs: quickTimeoutMs });
      this.throwIfFailed(status, "status", id);
      for (const machine of parseVagrantStatus(status.stdout)) {
        const parsed = parseMachineId(machine.name);
        if (parsed?.runId === id) records.push({ id: machine.name, runId: id, state: machine.state });
      }
    }
    return records;
  }

  async destroy(runId: string): Promise<void> {
    const project = join(this.projectsDir, runId);
    if (!(await exists(join(project, "Vagrantfile")))) return;
    const r = await this.vagrant(destroyArgv(), { cwd: project, timeoutMs: 15 * 60_000 });
    this.throwIfMissing(r);
    if (r.exitCode !== 0) {
      throw new HarnessError(
        "VAGRANT_DESTROY_FAILED",
        `vagrant destroy -f failed for run ${runId}: ${outputTail(`${r.stdout}\n${r.stderr}`, 5) || `exit code ${String(r.exitCode)}`}`,
        {
          hint: `run \`vagrant destroy -f\` in ${project} by hand (libvirt: \`virsh list --all\` shows what is left), then \`harness cleanup --run ${runId}\``,
          exitCode: ExitCode.infra,
        },
      );
    }
    await rm(project, { recursive: true, force: true });
  }

  async collectLogs(machine: Machine, dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    const serialLog = this.serialLogs.get(machine.id);
    for (const file of [...(this.runFiles.get(machine.runId) ?? []), ...(serialLog ? [serialLog] : [])]) {
      if (!(await exists(file))) continue;
      const to = join(dir, file === serialLog ? "serial.log" : `vagrant-${file.split("/").pop() ?? "file"}`);
      await copyFile(file, to);
      written.push(to);
    }
    return written;
  }

  /** Vagrant's insecure key, in VAGRANT_HOME (default `~/.vagrant.d`). */
  private insecureKeyPath(): string {
    const home = this.options.env?.VAGRANT_HOME ?? process.env.VAGRANT_HOME ?? join(homedir(), ".vagrant.d");
    return join(home, "insecure_private_key");
  }

  /** Run ids that have a project directory. */
  private async projectRunIds(): Promise<string[]> {
    const entries = await readdir(this.projectsDir).catch(() => []);
    return entries.filter(isRunId).sort();
  }

  /** Runs vagrant (behind the command prefix, with the extra environment). */
  private vagrant(args: string[], options: Parameters<typeof runTool>[2]): Promise<ToolResult> {
    return this.prefixed(this.binary, args, options);
  }

  private prefixed(
    binary: string,
    args: string[],
    options: Parameters<typeof runTool>[2],
  ): Promise<ToolResult> {
    const prefix = this.options.commandPrefix ?? [];
    const [head, ...rest] = [...prefix, binary, ...args];
    return runTool(head ?? binary, rest, {
      ...options,
      ...(this.options.env ? { env: this.options.env } : {}),
    });
  }

  private throwIfMissing(r: ToolResult): void {
    if (r.missing === undefined) return;
    throw new HarnessError("VAGRANT_NOT_FOUND", `cannot run ${this.binary}: ${r.missing}`, {
      hint: "install Vagrant and its libvirt plugin (`apt-get install vagrant vagrant-libvirt`) or pick another provider; `harness doctor` lists the usable ones",
      exitCode: ExitCode.infra,
    });
  }

  private throwIfFailed(r: ToolResult, command: string, runId: string): void {
    this.throwIfMissing(r);
    if (r.exitCode === 0) return;
    throw new HarnessError(
      "VAGRANT_COMMAND_FAILED",
      `vagrant ${command} failed for run ${runId}: ${outputTail(`${r.stdout}\n${r.stderr}`, 5) || `exit code ${String(r.exitCode)}`}`,
      {
        hint: `run \`vagrant ${command}\` in ${join(this.projectsDir, runId)} by hand to see the whole error`,
        exitCode: ExitCode.infra,
      },
    );
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
