// Runs a provider's command-line tool (multipass, vagrant, ssh) as a host process with execa; never throws on failure.
import { execa } from "execa";

/** How a tool invocation ended; `missing` is set when the executable could not be started at all. */
export interface ToolResult {
  command: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** Set when the executable was not found or could not be started (e.g. ENOENT). */
  missing?: string;
}

/** Options of one tool invocation. */
export interface ToolOptions {
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
  /** Called with each output chunk, e.g. to tee `vagrant up` into a log file. */
  onOutput?: (chunk: string) => void;
}

/** Runs `binary args...` and reports how it ended; the caller turns failures into HarnessErrors. */
export async function runTool(
  binary: string,
  args: readonly string[],
  options: ToolOptions,
): Promise<ToolResult> {
  const startedAt = Date.now();
  const child = execa(binary, args, {
    cwd: options.cwd,
    env: options.env,
    stdin: "ignore",
    reject: false,
    encoding: "utf8",
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    forceKillAfterDelay: 5_000,
  });
  if (options.onOutput) {
    const onOutput = options.onOutput;
    child.stdout?.on("data", (chunk: Buffer) => onOutput(chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => onOutput(chunk.toString("utf8")));
  }
  const result = await child;
  const missing =
    result.failed &&
    result.exitCode === undefined &&
    result.signal === undefined &&
    !result.timedOut &&
    !result.isCanceled
      ? result.shortMessage
      : undefined;
  return {
    command: result.escapedCommand,
    exitCode: result.exitCode ?? null,
    stdout: result.stdout,
    stderr: result.stderr,
    timedOut: result.timedOut,
    durationMs: Date.now() - startedAt,
    ...(missing === undefined ? {} : { missing }),
  };
}

/** The last `lines` non-blank lines of a tool's output, for error messages. */
export function outputTail(text: string, lines = 10): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .slice(-lines)
    .join("\n");
}
