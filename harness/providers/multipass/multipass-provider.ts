// The multipass provider: launches Ubuntu instances with our cloud-init, reaches them over our own SSH key (never `multipass exec`).
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import pRetry from "p-retry";
import { ExitCode, HarnessError } from "../../errors.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import { machineId, parseMachineId } from "../machine-id.ts";
import type { Availability, Machine, MachineRecord, Provider, ProviderContext } from "../provider.ts";
import { outputTail, runTool, type ToolResult } from "../run-tool.ts";
import { multipassUserData } from "./cloud-init-user-data.ts";
import { generateHostKey } from "./host-key.ts";
import { deleteArgv, infoArgv, launchArgv, listArgv, versionArgv } from "./multipass-argv.ts";
import { launchError } from "./multipass-errors.ts";
import { multipassImageFor } from "./multipass-image.ts";
import { parseMultipassInfo, parseMultipassList, type MultipassInstance } from "./multipass-json.ts";
import { parseMultipassVersion } from "./multipass-version.ts";
import { refuseKernelArgs } from "../kernel-args-support.ts";

/** Options of the multipass provider. */
export interface MultipassProviderOptions {
  /** The multipass executable; default `multipass` from PATH. */
  binary?: string;
  /** Seconds `multipass launch --timeout` waits for the instance and cloud-init; default 600. */
  launchTimeoutS?: number;
  /** How long to wait after launch for `multipass info` to show an IPv4 address; default 120 000 ms. */
  addressTimeoutMs?: number;
  /** Pause between `multipass info` polls while waiting for an address; default 2 000 ms. */
  addressPollMs?: number;
}

/** Multipass instance names are host names: one DNS label. */
const maxInstanceName = 63;

/** Timeout of the quick commands (info, list, version, delete). */
const quickTimeoutMs = 120_000;

/** Creates the multipass provider. */
export function createMultipassProvider(options: MultipassProviderOptions = {}): Provider {
  return new MultipassProvider(options);
}

class MultipassProvider implements Provider {
  readonly name = "multipass";
  private readonly binary: string;
  private readonly launchTimeoutS: number;
  private readonly addressTimeoutMs: number;
  private readonly addressPollMs: number;
  /** Launch logs written by create(), by machine id, for collectLogs(). */
  private readonly launchLogs = new Map<string, string>();

  constructor(options: MultipassProviderOptions) {
    this.binary = options.binary ?? "multipass";
    this.launchTimeoutS = options.launchTimeoutS ?? 600;
    this.addressTimeoutMs = options.addressTimeoutMs ?? 120_000;
    this.addressPollMs = options.addressPollMs ?? 2_000;
  }

  async detect(): Promise<Availability> {
    const r = await runTool(this.binary, versionArgv(), { timeoutMs: 30_000 });
    if (r.missing !== undefined) {
      return {
        available: false,
        reason: `${this.binary} not found on PATH; install Multipass (\`sudo snap install multipass\`) to use this provider`,
      };
    }
    const version = parseMultipassVersion(r.stdout);
    if (r.exitCode !== 0 || version.daemon === null) {
      const why = outputTail(r.stderr, 3) || "no multipassd version reported";
      return {
        available: false,
        reason: `multipass ${version.client ?? "?"} is installed but multipassd does not answer: ${why}`,
      };
    }
    return { available: true, reason: `multipass ${version.client ?? "?"}, multipassd ${version.daemon}` };
  }

  async create(machines: MachinePlan[], ctx: ProviderContext): Promise<Machine[]> {
    refuseKernelArgs(machines, "multipass");
    const images = new Map(machines.map((m) => [m.name, multipassImageFor(m.image, m.name)]));
    for (const m of machines) {
      const id = machineId(ctx.runId, m.name);
      if (id.length > maxInstanceName) {
        throw new HarnessError(
          "MULTIPASS_NAME_TOO_LONG",
          `node ${m.name}: instance name ${id} is longer than ${maxInstanceName} characters`,
          {
            hint: `multipass instance names are host names; shorten the node name to at most ${maxInstanceName - machineId(ctx.runId, "").length} characters`,
            exitCode: ExitCode.usage,
          },
        );
      }
    }
    const dir = join(ctx.runDir, "providers", "multipass");
    await mkdir(dir, { recursive: true });
    const hostKeys = new Map<string, string>();
    const launches = await Promise.allSettled(
      machines.map(async (m) => {
        const id = machineId(ctx.runId, m.name);
        const hostKey = await generateHostKey(join(dir, `${m.name}-host-key`), `${id} host key`);
        hostKeys.set(m.name, hostKey.publicKey);
        const userDataPath = join(dir, `${m.name}-user-data.yaml`);
        await writeFile(
          userDataPath,
          multipassUserData({ hostname: m.name, authorizedKey: ctx.keyPair.publicKey, hostKey }),
          { mode: 0o600 },
        );
        ctx.report?.({
          machine: m.name,
          state: "launching",
          detail: `multipass launch ${images.get(m.name)} as ${id}`,
        });
        const r = await runTool(
          this.binary,
          launchArgv({
            name: id,
            image: images.get(m.name) ?? "",
            cpus: m.cpus,
            memoryMiB: m.memoryMiB,
            diskGiB: m.diskGiB,
            cloudInitPath: userDataPath,
            timeoutS: this.launchTimeoutS,
          }),
          { timeoutMs: (this.launchTimeoutS + 60) * 1000, ...(ctx.signal ? { signal: ctx.signal } : {}) },
        );
        const logPath = join(dir, `${m.name}-launch.log`);
        await writeFile(logPath, `$ ${r.command}\n${r.stdout}${r.stderr}`);
        this.launchLogs.set(id, logPath);
        this.checkLaunched(r, id, ctx.runId);
        ctx.report?.({ machine: m.name, state: "launched", detail: `${id} in ${r.durationMs} ms` });
      }),
    );
    const failures = launches.flatMap((l) => (l.status === "rejected" ? [l.reason as unknown] : []));
    if (failures.length > 0) throw failures[0];

    const ids = machines.map((m) => machineId(ctx.runId, m.name));
    const instances = await this.waitForAddresses(ids, ctx);
    return machines.map((m) => {
      const id = machineId(ctx.runId, m.name);
      const address = instances.get(id)?.ipv4[0] ?? "";
      if (address !== m.privateIp) {
        ctx.report?.({
          machine: m.name,
          state: "address",
          detail: `multipass assigned ${address}; the plan's private address ${m.privateIp} cannot be set on multipass's default network, so ${address} is used between nodes`,
        });
      }
      return {
        name: m.name,
        id,
        runId: ctx.runId,
        privateIp: address,
        ssh: {
          host: address,
          port: 22,
          user: "root",
          privateKeyPath: ctx.keyPair.privateKeyPath,
          ...(hostKeys.has(m.name) ? { hostKey: hostKeys.get(m.name) } : {}),
        },
      };
    });
  }

  async list(runId?: string): Promise<MachineRecord[]> {
    const r = await runTool(this.binary, listArgv(), { timeoutMs: quickTimeoutMs });
    this.checkQuick(r, "list");
    return parseMultipassList(r.stdout).flatMap((instance) => {
      const parsed = parseMachineId(instance.name);
      if (parsed === null || (runId !== undefined && parsed.runId !== runId)) return [];
      return [{ id: instance.name, runId: parsed.runId, state: instance.state }];
    });
  }

  async destroy(runId: string): Promise<void> {
    const ids = (await this.list(runId)).map((m) => m.id);
    if (ids.length === 0) return;
    const r = await runTool(this.binary, deleteArgv(ids), { timeoutMs: quickTimeoutMs });
    if (r.exitCode === 0) return;
    const left = await this.list(runId);
    if (left.length === 0) return;
    throw new HarnessError(
      "MULTIPASS_DELETE_FAILED",
      `multipass could not delete ${left.map((m) => m.id).join(", ")} of run ${runId}: ${outputTail(r.stderr, 5) || r.missing || `exit code ${String(r.exitCode)}`}`,
      {
        hint: `retry with \`harness cleanup --run ${runId}\`, or by hand: \`multipass delete --purge ${left.map((m) => m.id).join(" ")}\``,
        exitCode: ExitCode.infra,
      },
    );
  }

  async collectLogs(machine: Machine, dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    const launchLog = this.launchLogs.get(machine.id);
    if (launchLog !== undefined) {
      const to = join(dir, "multipass-launch.log");
      await copyFile(launchLog, to);
      written.push(to);
    }
    const r = await runTool(this.binary, infoArgv([machine.id]), { timeoutMs: quickTimeoutMs });
    const to = join(dir, "multipass-info.json");
    await writeFile(
      to,
      r.exitCode === 0 ? r.stdout : `$ ${r.command}\nexit code ${String(r.exitCode)}\n${r.stderr}`,
    );
    written.push(to);
    return written;
  }

  /** Throws the launch's HarnessError unless it succeeded. */
  private checkLaunched(r: ToolResult, id: string, runId: string): void {
    if (r.missing !== undefined) throw this.missingError(r.missing);
    if (r.exitCode === 0) return;
    throw launchError({
      instance: id,
      runId,
      stdout: r.stdout,
      stderr: r.timedOut ? `${r.stderr}\ntimed out waiting for response` : r.stderr,
      exitCode: r.exitCode,
      timeoutS: this.launchTimeoutS,
    });
  }

  /** Throws for a failed info/list call. */
  private checkQuick(r: ToolResult, command: string): void {
    if (r.missing !== undefined) throw this.missingError(r.missing);
    if (r.exitCode === 0) return;
    throw new HarnessError(
      "MULTIPASS_COMMAND_FAILED",
      `multipass ${command} failed: ${outputTail(r.stderr, 5) || `exit code ${String(r.exitCode)}`}`,
      {
        hint: "check that multipassd runs (`multipass version` shows it) and retry",
        exitCode: ExitCode.infra,
      },
    );
  }

  private missingError(detail: string): HarnessError {
    return new HarnessError("MULTIPASS_NOT_FOUND", `cannot run ${this.binary}: ${detail}`, {
      hint: "install Multipass (`sudo snap install multipass`) or pick another provider; `harness doctor` lists the usable ones",
      exitCode: ExitCode.infra,
    });
  }

  /** Polls `multipass info` until every instance reports an IPv4 address. */
  private async waitForAddresses(
    ids: string[],
    ctx: ProviderContext,
  ): Promise<Map<string, MultipassInstance>> {
    return pRetry(
      async () => {
        const r = await runTool(this.binary, infoArgv(ids), { timeoutMs: quickTimeoutMs });
        this.checkQuick(r, "info");
        const found = new Map(parseMultipassInfo(r.stdout).map((i) => [i.name, i]));
        const waiting = ids.filter((id) => (found.get(id)?.ipv4.length ?? 0) === 0);
        if (waiting.length > 0) {
          throw new HarnessError(
            "MULTIPASS_NO_ADDRESS",
            `multipass reports no IPv4 address for ${waiting.map((id) => `${id} (${found.get(id)?.state ?? "not listed"})`).join(", ")} after ${this.addressTimeoutMs} ms`,
            {
              hint: `look at \`multipass info ${waiting.join(" ")}\`; an instance without an address usually failed to boot or lost its network (restart multipassd)`,
              exitCode: ExitCode.infra,
            },
          );
        }
        return found;
      },
      {
        retries: Number.MAX_SAFE_INTEGER,
        factor: 1,
        minTimeout: this.addressPollMs,
        maxRetryTime: this.addressTimeoutMs,
        randomize: false,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        shouldRetry: ({ error }) => error instanceof HarnessError && error.code === "MULTIPASS_NO_ADDRESS",
        onFailedAttempt: ({ error, attemptNumber }) => {
          if (error instanceof HarnessError && error.code === "MULTIPASS_NO_ADDRESS") {
            ctx.report?.({
              machine: ids.join(","),
              state: "waiting-for-address",
              detail: `attempt ${attemptNumber}`,
            });
          }
        },
      },
    );
  }
}
