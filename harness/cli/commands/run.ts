// `harness run`: executes scenario cells on machines and writes results/<scenario>/<run-id>/.
import path from "node:path";
import { Option, type Command } from "commander";
import { UsageError } from "../../errors.ts";
import { parseAcceleratorRequest } from "../../providers/qemu/accelerator.ts";
import { runProviderNames } from "../../runner/provider-setup.ts";
import { runScenarios } from "../../runner/run-scenarios.ts";
import type { KeepPolicy } from "../../runner/runner-deps.ts";
import { repoRoot } from "../../scenario/catalog.ts";
import { allowHostFilesOption, maxCellsOption } from "../scenario-options.ts";
import type { CliState } from "../main.ts";
import { useColor } from "../output.ts";

function positiveInt(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${flag} must be a whole number >= 1, not "${v}"`, `for example ${flag} 2`);
    return n;
  };
}

interface RunFlags {
  tag: string[];
  cell?: string;
  filter: string[];
  allowHostFiles?: boolean;
  maxCells: number;
  provider: string;
  accel?: string;
  hostsFile?: string;
  keep: KeepPolicy;
  parallel: number;
  repeat: number;
  results: string;
  teardownTimeout: number;
}

/** Registers the command. */
export function registerRun(program: Command, state: CliState): void {
  program
    .command("run")
    .description("run scenario cells on machines; results go to results/<scenario>/<run-id>/")
    .argument("[scenarios...]", "catalog names, file paths, or cell ids")
    .option(
      "--tag <tag>",
      "also run every catalog scenario with this tag (repeatable: all must match)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option("--cell <id>", "only this cell")
    .option(
      "--filter <axis=value>",
      "only cells with this axis value (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .addOption(allowHostFilesOption())
    .addOption(maxCellsOption())
    .addOption(
      new Option("--provider <name>", "where machines run").choices([...runProviderNames]).default("qemu"),
    )
    .addOption(
      new Option("--accel <mode>", "QEMU accelerator (default: HARNESS_QEMU_ACCEL, else auto)").choices([
        "auto",
        "kvm",
        "tcg",
      ]),
    )
    .option("--hosts-file <file>", "existing machines for --provider ssh")
    .addOption(
      new Option("--keep <when>", "keep machines after the run for debugging")
        .choices(["never", "on-failure", "always"])
        .default("never"),
    )
    .option("--parallel <n>", "cells at once (also bounded by host memory)", positiveInt("--parallel"), 1)
    .option(
      "--repeat <n>",
      "run each cell n times and report the reproduction rate",
      positiveInt("--repeat"),
      1,
    )
    .option("--results <dir>", "results directory", path.join(repoRoot, "results"))
    .option(
      "--teardown-timeout <seconds>",
      "time each teardown (log collection, destroy) may take",
      positiveInt("--teardown-timeout"),
      120,
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 every verdict as expected, 1 a verdict differs from its expectation, 2 bad usage,\n3 error (a step failed unexpectedly or versions differ from the pinned ones), 4 infrastructure failure,\n130 interrupted (SIGINT/SIGTERM/SIGHUP/SIGQUIT; a second signal exits at once).",
    )
    .action(async (refs: string[], flags: RunFlags) => {
      const live = process.stdout.isTTY === true && process.env.CI !== "true" && !state.verbose;
      state.exitCode = await runScenarios(
        {
          refs,
          tags: flags.tag,
          ...(flags.cell !== undefined ? { cell: flags.cell } : {}),
          filters: flags.filter,
          allowHostFiles: flags.allowHostFiles === true,
          maxCells: flags.maxCells,
          provider: flags.provider,
          ...(flags.accel !== undefined ? { accel: parseAcceleratorRequest(flags.accel) } : {}),
          ...(flags.hostsFile !== undefined ? { hostsFile: flags.hostsFile } : {}),
          keep: flags.keep,
          parallel: flags.parallel,
          repeat: flags.repeat,
          resultsDir: path.resolve(flags.results),
          verbose: state.verbose,
          teardownSeconds: flags.teardownTimeout,
        },
        { out: process.stdout, live, color: useColor(process.stdout) },
      );
    });
}
