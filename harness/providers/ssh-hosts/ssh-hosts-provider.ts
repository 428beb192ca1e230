// The ssh-hosts provider: existing machines from a hosts file; create checks and claims them, destroy releases them, and
// resets run only when the user opted in.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExitCode, HarnessError } from "../../errors.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import { machineId } from "../machine-id.ts";
import type { Availability, Machine, MachineRecord, Provider, ProviderContext } from "../provider.ts";
import { outputTail, runTool, type ToolResult } from "../run-tool.ts";
import { loadHostsFile, type HostEntry, type HostsFile } from "./hosts-file.ts";
import {
  claimScript,
  parseClaimOutput,
  parseLeaseOutput,
  readLeaseScript,
  releaseScript,
} from "./remote-scripts.ts";
import { knownHostsLine, recordedHostKey, sshArgv, type SshTarget } from "./ssh-argv.ts";
import { refuseKernelArgs } from "../kernel-args-support.ts";

/** Options of the ssh-hosts provider. */
export interface SshHostsProviderOptions {
  /** Path of the hosts file (YAML; see hosts.example.yaml). */
  hostsFile: string;
  /** The OpenSSH client; default `ssh` from PATH. */
  sshBinary?: string;
  /** Seconds ssh waits for a connection; default 10. */
  connectTimeoutS?: number;
  /** Kill an opt-in reset command after this long; default 10 minutes. */
  resetTimeoutMs?: number;
}

/** Timeout of the claim and lease commands. */
const quickTimeoutMs = 60_000;

/** Creates the ssh-hosts provider. */
export function createSshHostsProvider(options: SshHostsProviderOptions): Provider {
  return new SshHostsProvider(options);
}

class SshHostsProvider implements Provider {
  readonly name = "ssh";
  private readonly ssh: string;
  /** Logs written by create(), by machine id, for collectLogs(). */
  private readonly logs = new Map<string, string[]>();

  constructor(private readonly options: SshHostsProviderOptions) {
    this.ssh = options.sshBinary ?? "ssh";
  }

  async detect(): Promise<Availability> {
    const version = await runTool(this.ssh, ["-V"], { timeoutMs: 10_000 });
    if (version.missing !== undefined) {
      return {
        available: false,
        reason: `the OpenSSH client (${this.ssh}) is not installed: \`apt-get install openssh-client\``,
      };
    }
    try {
      const file = await loadHostsFile(this.options.hostsFile);
      return {
        available: true,
        reason: `${file.hosts.length} host(s) in ${this.options.hostsFile} (${file.hosts.map((h) => h.name).join(", ")}); reset on create: ${file.reset.create === undefined ? "no" : "yes"}, on destroy: ${file.reset.destroy === undefined ? "no" : "yes"}`,
      };
    } catch (error) {
      return { available: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async create(machines: MachinePlan[], ctx: ProviderContext): Promise<Machine[]> {
    refuseKernelArgs(machines, "ssh");
    const file = await loadHostsFile(this.options.hostsFile);
    const hosts = machines.map((m) => {
      const host = file.hosts.find((h) => h.name === m.name);
      if (host === undefined) {
        throw new HarnessError(
          "SSH_HOST_MISSING",
          `the scenario needs node ${m.name} but ${this.options.hostsFile} has no host of that name`,
          {
            hint: `add a host named ${m.name} to ${this.options.hostsFile} (it lists ${file.hosts.map((h) => h.name).join(", ")})`,
            exitCode: ExitCode.usage,
          },
        );
      }
      return { plan: m, host };
    });
    const dir = join(ctx.runDir, "providers", "ssh-hosts");
    await mkdir(dir, { recursive: true });
    return Promise.all(hosts.map(({ plan, host }) => this.claim(plan, host, file, dir, ctx)));
  }

  async list(runId?: string): Promise<MachineRecord[]> {
    const file = await loadHostsFile(this.options.hostsFile);
    const results = await this.onEveryHost(file, readLeaseScript(), quickTimeoutMs);
    const records: MachineRecord[] = [];
    for (const { host, result } of results) {
      const lease = parseLeaseOutput(result.stdout);
      if (lease !== "" && (runId === undefined || lease === runId)) {
        records.push({ id: machineId(lease, host.name), runId: lease, state: "claimed" });
      }
    }
    this.throwUnreachable(results, "list");
    return records;
  }

  async destroy(runId: string): Promise<void> {
    const file = await loadHostsFile(this.options.hostsFile);
    const results = await this.onEveryHost(
      file,
      releaseScript(runId, file.reset.destroy),
      this.options.resetTimeoutMs ?? 10 * 60_000,
    );
    const failed = results.filter(
      ({ result }) => result.missing === undefined && result.exitCode !== 0 && result.exitCode !== 255,
    );
    if (failed.length > 0) {
      throw new HarnessError(
        "SSH_HOST_RESET_FAILED",
        failed
          .map(
            ({ host, result }) =>
              `the opt-in destroy reset failed on ${host.name} (${host.user}@${host.address}) with exit code ${String(result.exitCode)}: ${outputTail(result.stderr || result.stdout, 5)}`,
          )
          .join("\n"),
        {
          hint: `fix the host or the \`reset.destroy\` command in ${this.options.hostsFile}, then run \`harness cleanup --run ${runId}\` again; the host stays claimed by run ${runId} until then`,
          exitCode: ExitCode.infra,
        },
      );
    }
    this.throwUnreachable(results, "destroy");
  }

  async collectLogs(machine: Machine, dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    for (const file of this.logs.get(machine.id) ?? []) {
      const to = join(dir, `ssh-hosts-${file.split("/").pop() ?? "log"}`);
      await copyFile(file, to);
      written.push(to);
    }
    return written;
  }

  /** Checks one host is reachable as configured, claims it for the run, runs the opt-in create reset. */
  private async claim(
    plan: MachinePlan,
    host: HostEntry,
    file: HostsFile,
    dir: string,
    ctx: ProviderContext,
  ): Promise<Machine> {
    const id = machineId(ctx.runId, host.name);
    const knownHostsFile = join(dir, `${host.name}.known_hosts`);
    const target = await this.target(host, knownHostsFile);
    ctx.report?.({
      machine: host.name,
      state: "connecting",
      detail: `${host.user}@${host.address}:${host.port}`,
    });
    const claim = await runTool(this.ssh, sshArgv(target, claimScript(ctx.runId)), {
      timeoutMs: quickTimeoutMs,
    });
    const claimLog = join(dir, `${host.name}-claim.log`);
    await writeFile(
      claimLog,
      `$ ssh ${host.user}@${host.address}:${host.port} (claim for run ${ctx.runId})\n${claim.stdout}${claim.stderr}`,
    );
    this.logs.set(id, [claimLog]);
    if (claim.missing !== undefined || claim.exitCode !== 0) throw this.unreachable(host, claim);

    const report = parseClaimOutput(claim.stdout);
    if (report.previousRun !== "" && report.previousRun !== ctx.runId) {
      ctx.report?.({
        machine: host.name,
        state: "claimed",
        detail: `was still claimed by run ${report.previousRun}, which did not release it`,
      });
    }
    if (report.addresses !== null && !report.addresses.includes(host.privateIp)) {
      throw new HarnessError(
        "SSH_HOST_PRIVATE_IP_MISSING",
        `${host.name} (${host.address}) has no address ${host.privateIp}; it has ${report.addresses.join(", ") || "no IPv4 address"}`,
        {
          hint: `set privateIp of ${host.name} in ${this.options.hostsFile} to the address its nodes share (one of ${report.addresses.join(", ")})`,
          exitCode: ExitCode.usage,
        },
      );
    }
    if (host.privateIp !== plan.privateIp) {
      ctx.report?.({
        machine: host.name,
        state: "address",
        detail: `uses its own private address ${host.privateIp} instead of the plan's ${plan.privateIp}`,
      });
    }

    if (file.reset.create !== undefined) {
      ctx.report?.({ machine: host.name, state: "resetting", detail: file.reset.create });
      const reset = await runTool(this.ssh, sshArgv(target, file.reset.create), {
        timeoutMs: this.options.resetTimeoutMs ?? 10 * 60_000,
      });
      const resetLog = join(dir, `${host.name}-reset-create.log`);
      await writeFile(
        resetLog,
        `$ ${file.reset.create}\n${reset.stdout}${reset.stderr}\nexit code ${String(reset.exitCode)}\n`,
      );
      this.logs.get(id)?.push(resetLog);
      if (reset.exitCode !== 0) {
        throw new HarnessError(
          "SSH_HOST_RESET_FAILED",
          `the opt-in create reset \`${file.reset.create}\` failed on ${host.name} with ${reset.timedOut ? "a timeout" : `exit code ${String(reset.exitCode)}`}: ${outputTail(reset.stderr || reset.stdout, 5)}`,
          {
            hint: `fix the host or the \`reset.create\` command in ${this.options.hostsFile} (output in ${resetLog})`,
            exitCode: ExitCode.infra,
          },
        );
      }
    }

    const hostKey =
      host.hostKey ??
      recordedHostKey(await readFile(knownHostsFile, "utf8").catch(() => ""), host.address, host.port);
    return {
      name: host.name,
      id,
      runId: ctx.runId,
      privateIp: host.privateIp,
      ssh: {
        host: host.address,
        port: host.port,
        user: host.user,
        privateKeyPath: host.keyPath,
        ...(hostKey === null ? {} : { hostKey }),
      },
    };
  }

  /** The SSH target of a host, with a fresh known_hosts file: the pinned key, or empty to record the key on first contact. */
  private async target(host: HostEntry, knownHostsFile: string): Promise<SshTarget> {
    await writeFile(
      knownHostsFile,
      host.hostKey === undefined ? "" : knownHostsLine(host.address, host.port, host.hostKey),
    );
    return {
      address: host.address,
      port: host.port,
      user: host.user,
      keyPath: host.keyPath,
      knownHostsFile,
      hostKeyChecking: host.hostKey === undefined ? "accept-new" : "yes",
      connectTimeoutS: this.options.connectTimeoutS ?? 10,
    };
  }

  /** Runs a script on every host of the file in parallel, with throwaway known_hosts files. */
  private async onEveryHost(
    file: HostsFile,
    script: string,
    timeoutMs: number,
  ): Promise<{ host: HostEntry; result: ToolResult }[]> {
    const dir = await mkdtemp(join(tmpdir(), "harness-ssh-hosts-"));
    try {
      return await Promise.all(
        file.hosts.map(async (host) => {
          const target = await this.target(host, join(dir, `${host.name}.known_hosts`));
          return { host, result: await runTool(this.ssh, sshArgv(target, script), { timeoutMs }) };
        }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private throwUnreachable(results: { host: HostEntry; result: ToolResult }[], what: string): void {
    const unreachable = results.filter(
      ({ result }) => result.missing !== undefined || result.exitCode === 255 || result.timedOut,
    );
    if (unreachable.length === 0) return;
    const first = unreachable[0];
    if (unreachable.length === 1 && first) throw this.unreachable(first.host, first.result);
    throw new HarnessError(
      "SSH_HOST_UNREACHABLE",
      `${what}: cannot reach ${unreachable.map(({ host }) => `${host.name} (${host.user}@${host.address}:${host.port})`).join(", ")}`,
      {
        hint: `check that the hosts in ${this.options.hostsFile} are up and accept their keys, then retry`,
        exitCode: ExitCode.infra,
      },
    );
  }

  private unreachable(host: HostEntry, r: ToolResult): HarnessError {
    const why =
      r.missing ?? (r.timedOut ? "timed out" : outputTail(r.stderr, 3) || `exit code ${String(r.exitCode)}`);
    const keyChanged = /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/.test(r.stderr);
    return new HarnessError(
      keyChanged ? "SSH_HOST_KEY_MISMATCH" : "SSH_HOST_UNREACHABLE",
      `cannot reach ${host.name} at ${host.user}@${host.address}:${host.port}: ${why}`,
      {
        hint: keyChanged
          ? `the host key of ${host.name} is not the one pinned in ${this.options.hostsFile}: check you reach the right machine, then update its hostKey`
          : `check address, port, user and keyPath of ${host.name} in ${this.options.hostsFile}; try \`ssh -i ${host.keyPath} -p ${host.port} ${host.user}@${host.address} true\``,
        exitCode: ExitCode.infra,
      },
    );
  }
}
