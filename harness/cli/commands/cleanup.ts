// `harness cleanup [--run ID | --all]`: removes machines, overlays, pid files and QEMU processes left by crashed runs.
import type { Command } from "commander";
import { ExitCode, UsageError } from "../../errors.ts";
import { isRunId } from "../../runner/run-id.ts";
import type { Provider } from "../../providers/provider.ts";
import { createQemuProvider, type QemuProvider } from "../../providers/qemu/qemu-provider.ts";
import { createProvider, detectProviders } from "../../providers/registry.ts";
import type { CliState } from "../main.ts";

/** Which runs to clean up; `force` adds the orphans whose owner cannot be told. */
export type CleanupScope =
  { kind: "orphans"; force: boolean } | { kind: "run"; runId: string } | { kind: "all" };

/** What one provider cleaned up, and what it left alone because it could not tell whose it is. */
export interface CleanupOutcome {
  provider: string;
  runs: { runId: string; machines: string[] }[];
  leftAlone: { runId: string; machines: string[] }[];
}

/**
 * Destroys the selected runs on one provider. Orphans (the default) are the qemu provider's runs whose harness
 * process is gone; runs whose owner cannot be told are left alone unless forced. Other providers cannot tell a
 * crashed run from a live one, so they act only on --run / --all.
 */
export async function cleanupProvider(
  provider: Provider,
  scope: CleanupScope,
  dryRun: boolean,
): Promise<CleanupOutcome> {
  const listed = await provider.list(scope.kind === "run" ? scope.runId : undefined);
  let runIds: string[];
  let undetermined: string[] = [];
  if (scope.kind === "run") runIds = [scope.runId];
  else if (scope.kind === "all") runIds = [...new Set(listed.map((m) => m.runId))];
  else if (provider.name !== "qemu") runIds = [];
  else {
    const found = await (provider as QemuProvider).orphanRuns();
    runIds = scope.force ? [...found.orphans, ...found.undetermined] : found.orphans;
    undetermined = scope.force ? [] : found.undetermined;
  }
  const describe = (runId: string) => ({
    runId,
    machines: listed.filter((m) => m.runId === runId).map((m) => `${m.id} (${m.state})`),
  });
  const runs = runIds.sort().map(describe);
  if (!dryRun) for (const r of runs) await provider.destroy(r.runId);
  return { provider: provider.name, runs, leftAlone: undetermined.map(describe) };
}

/** Registers the command. */
export function registerCleanup(program: Command, state: CliState): void {
  program
    .command("cleanup")
    .description("remove machines, overlays, pid files and QEMU processes left by crashed runs")
    .option("--run <id>", "clean up this run (even if its harness is still running)")
    .option("--all", "clean up every run the providers know of, live ones included")
    .option(
      "--force",
      "also remove runs whose owner cannot be told (unreadable QEMU environment, no machine record)",
    )
    .option("--dry-run", "only print what would be removed")
    .action(async (opts: { run?: string; all?: boolean; force?: boolean; dryRun?: boolean }) => {
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
            : { kind: "orphans", force: opts.force === true };
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
        for (const run of outcome.leftAlone) {
          total++;
          process.stdout.write(
            `left alone ${outcome.provider} run ${run.runId}: ${run.machines.join(", ") || "state only"}: whose it is cannot be told (no machine record, or its QEMU's environment cannot be read); \`harness cleanup --force\` removes it\n`,
          );
        }
      }
      if (total === 0) process.stdout.write("nothing to clean up\n");
      state.exitCode = ExitCode.ok;
    });
}
