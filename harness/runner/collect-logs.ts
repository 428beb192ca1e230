// Collects logs from every node into logs/<machine>/: the plan's files, then the provider's (serial console).
import { commandEvent } from "./command-event.ts";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { StepPlan } from "../plan/plan.ts";
import type { Provider } from "../providers/provider.ts";
import { machineLogDir, type CellContext } from "./cell-context.ts";
import { redactWrittenText } from "../secrets/written-text.ts";

/** A plan step of kind collect-logs. */
export type CollectStep = Extract<StepPlan, { kind: "collect-logs" }>;

/** What collection produced: files written and what could not be collected (never fatal). */
export interface CollectResult {
  files: string[];
  problems: string[];
}

/**
 * Runs each file's command on its node and writes stdout to logs/<node>/<name> (stderr appended when the
 * command failed), then copies the provider's logs. `signal` is separate from the run's: logs are collected
 * after an interrupt too, within the teardown deadline.
 */
export async function collectLogs(
  step: CollectStep,
  ctx: CellContext,
  provider: Provider,
  signal: AbortSignal,
): Promise<CollectResult> {
  const files: string[] = [];
  const problems: string[] = [];
  await Promise.all(
    step.runs.map(async (run) => {
      const dir = machineLogDir(ctx, run.node);
      await mkdir(dir, { recursive: true });
      const transport = ctx.transports.get(run.node);
      if (transport) {
        for (const file of run.files) {
          if (signal.aborted) break;
          const result = await transport.exec(file.command, { timeoutMs: step.timeoutMs, signal });
          ctx.timeline.emit(
            commandEvent(result, {
              node: run.node,
              purpose: `collect ${file.name}`,
              command: file.command,
              stderrLines: 5,
            }),
          );
          const failed = result.exitCode !== 0;
          const body = failed
            ? `${result.stdout}\n# command: ${file.command}\n# exit code ${result.exitCode ?? "none"}${result.timedOut ? " (timed out)" : ""}${result.transportError ? ` (connection: ${result.transportError})` : ""}\n${result.stderr}`
            : result.stdout;
          const target = path.join(dir, file.name);
          await writeFile(target, redactWrittenText(body));
          files.push(target);
          if (failed) problems.push(`${run.node}: ${file.name}: exit code ${result.exitCode ?? "none"}`);
        }
      } else {
        problems.push(`${run.node}: no connection, only provider logs collected`);
      }
      const machine = ctx.machines.get(run.node);
      if (machine) {
        try {
          const written = await provider.collectLogs(machine, dir);
          await Promise.all(written.map(redactFileInPlace));
          files.push(...written);
        } catch (err) {
          problems.push(`${run.node}: provider logs: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  return { files, problems };
}

/**
 * Redacts a provider log (serial console, QEMU's own log) where it lies. Read and written as latin1, so bytes that
 * are no UTF-8 (terminal control sequences, a garbled console) stay as they were; the patterns are ASCII.
 */
async function redactFileInPlace(file: string): Promise<void> {
  const text = await readFile(file, "latin1");
  const redacted = redactWrittenText(text);
  if (redacted !== text) await writeFile(file, redacted, "latin1");
}
