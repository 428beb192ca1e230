// `harness cleanup [--run ID | --all]`: removes machines, overlays, pid files and QEMU processes left by crashed runs.
import type { Command } from "commander";
import { ExitCode, UsageError } from "../../errors.ts";
import { isRunId } from "../../runner/run-id.ts";
import type { Provider } from "../../providers/provider.ts";
import { createQemuProvider, type QemuProvider } from "../../providers/qemu/qemu-provider.ts";
import { createProvider, detectProviders } from "../../providers/registry.ts";
import type { CliState } from "../main.ts";

/** Which runs to clean up. */
export type CleanupScope = { kind: "orphans" } | { kind: "run"; runId: string } | { kind: "all" };

/** What one provider cleaned up. */
export interface CleanupOutcome {
  provider: string;
  runs: { runId: string; machines: string[] }[];
}

/**
 * Destroys the selected runs on one provider. Orphans (the default) are the qemu provider's runs whose harness
 * process is gone; other providers cannot tell a crashed run from a live one, so they act only on --run / --all.
 */
export async function cleanupProvider(
  provider: Provider,
  scope: CleanupScope,
  dryRun: boolean,
): Promise<CleanupOutcome> {
  const listed = await provider.list(scope.kind === "run" ? scope.runId : undefined);
  let runIds: string[];
  if (scope.kind === "run") runIds = [scope.runId];
  else if (scope.kind === "all") runIds = [...new Set(listed.map((m) => m.runId))];
  else runIds = provider.name === "qemu" ? await (provider as QemuProvider).orphanRuns() : [];
  const runs = runIds.sort().map((runId) => ({
    runId,
    machines: listed.filter((m) => m.runId === runId).map((m) => `${m.id} (${m.state})`),
  }));
  if (!dryRun) for (const r of runs) await provider.destroy(r.runId);
  return { provider: provider.name, runs };
}

/** Registers the command. */
export function registerCleanup(program: Command, state: CliState): void {
  program
    .command("cleanup")
    .description("remove machines, overlays, pid files and QEMU processes left by crashed runs")
    .option("--run <id>", "clean up this run (even if its harness is still running)")
    .option("--all", "clean up every run the providers know of, live ones included")
    .option("--dry-run", "only print what would be removed")
    .action(async (opts: { run?: string; all?: boolean; dryRun?: boolean }) => {
      if (opts.run !== undefined && opts.all)
        throw new UsageError("--run and --all exclude each other", "pass one of them");
      if (opts.run !== undefined && !isRunId(opts.run)) {
        throw new UsageError(
          `"${opts.run}" is not a run id`,
          "run ids look like 20261123-184212-3f9a1c (see `harness cleanup --dry-run --all`)",
        );
      }
      const scope: CleanupScope =
        opts.run !== undefined
          ? { kind: "run", runId: opts.run }
          : opts.all
            ? { kind: "all" }
            : { kind: "orphans" };
      const providers: Provider[] = [createQemuProvider()];
      if (scope.kind !== "orphans") {
        for (const p of await detectProviders()) {
          if (p.available && p.name !== "qemu" && p.name !== "ssh") providers.push(createProvider(p.name));
        }
      }
      let total = 0;
      for (const provider of providers) {
        const outcome = await cleanupProvider(provider, scope, Boolean(opts.dryRun));
        for (const run of outcome.runs) {
          total++;
          process.stdout.write(
            `${opts.dryRun ? "would remove" : "removed"} ${outcome.provider} run ${run.runId}: ${run.machines.join(", ") || "state only"}\n`,
          );
        }
      }
      if (total === 0) process.stdout.write("nothing to clean up\n");
      state.exitCode = ExitCode.ok;
    });
}
