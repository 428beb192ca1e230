// Host-side Transport: runs commands as local processes (bash -c) through execa, with the same result shape as SSH.
import { chmod, copyFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { execa } from "execa";
import { LineSplitter } from "./line-splitter.ts";
import type { CommandResult, ExecOptions, Transport } from "./transport.ts";

/** How long a timed-out process group gets between SIGTERM and SIGKILL. */
const killGraceMs = 2_000;

/** Runs commands on the host; a timeout or abort kills the command's whole process group. */
export class LocalTransport implements Transport {
  readonly description: string;

  constructor(private readonly options: { cwd?: string; env?: Record<string, string> } = {}) {
    this.description = "local host";
  }

  async exec(command: string, options: ExecOptions): Promise<CommandResult> {
    const startedAt = Date.now();
    const child = execa("bash", ["-c", command], {
      cwd: this.options.cwd,
      env: this.options.env,
      input: options.stdin,
      stdin: options.stdin === undefined ? "ignore" : "pipe",
      detached: true,
      reject: false,
      encoding: "utf8",
      stripFinalNewline: false,
    });
    const splitters = {
      stdout: new LineSplitter((l) => options.onLine?.("stdout", l)),
      stderr: new LineSplitter((l) => options.onLine?.("stderr", l)),
    };
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      splitters.stdout.push(chunk);
    });
    child.stderr?.on("data", (chunk: string) => {
      stderr += chunk;
      splitters.stderr.push(chunk);
    });

    let timedOut = false;
    const killGroup = (): void => {
      const pid = child.pid;
      if (pid === undefined) return;
      signalGroup(pid, "SIGTERM");
      setTimeout(() => signalGroup(pid, "SIGKILL"), killGraceMs).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => killGroup();
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const result = await child;
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    splitters.stdout.flush();
    splitters.stderr.flush();
    const spawnFailed = result.failed && result.exitCode === undefined && result.signal === undefined;
    return {
      command,
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      stdout,
      stderr,
      startedAt,
      durationMs: Date.now() - startedAt,
      timedOut,
      ...(spawnFailed ? { transportError: result.shortMessage } : {}),
    };
  }

  async upload(localPath: string, remotePath: string, mode?: number): Promise<void> {
    await mkdir(dirname(remotePath), { recursive: true });
    await copyFile(localPath, remotePath);
    if (mode !== undefined) await chmod(remotePath, mode);
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    await mkdir(dirname(localPath), { recursive: true });
    await copyFile(remotePath, localPath);
  }

  async close(): Promise<void> {}
}

/** Sends a signal to a process group, ignoring a group that is already gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group exited between the timer firing and the kill.
  }
}
