// `harness plan <scenario|cell>`: prints what a run would do, as text or JSON.
import type { Command } from "commander";
import { formatPlan } from "../../plan/format-plan.ts";
import { planCell } from "../../plan/planner.ts";
import { defaultRecipes } from "../../recipes/index.ts";
import { resolveCells } from "../../scenario/catalog.ts";
import { allowHostFilesOption, maxCellsOption } from "../scenario-options.ts";
import type { CliState } from "../main.ts";

/** Registers the command. */
export function registerPlan(program: Command, _state: CliState): void {
  program
    .command("plan")
    .description("print the plan of a scenario or one of its cells: machines, phases, steps, probes, checks")
    .argument("<scenario>", "catalog name, file path, or cell id like name[axis=value]")
    .option("--cell <id>", "only this cell")
    .option(
      "--filter <axis=value>",
      "only cells with this axis value (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .addOption(allowHostFilesOption())
    .addOption(maxCellsOption())
    .option("--scripts", "print every rendered script in full")
    .option("--json", "print the plans as JSON")
    .action(
      async (
        ref: string,
        opts: {
          cell?: string;
          filter: string[];
          allowHostFiles?: boolean;
          maxCells: number;
          scripts?: boolean;
          json?: boolean;
        },
      ) => {
        const { cells } = await resolveCells(ref, {
          cell: opts.cell,
          filters: opts.filter,
          allowHostFiles: opts.allowHostFiles === true,
          maxCells: opts.maxCells,
        });
        const plans = cells.map((c) => planCell(c, defaultRecipes));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(plans.length === 1 ? plans[0] : plans, null, 2)}\n`);
          return;
        }
        process.stdout.write(plans.map((p) => formatPlan(p, { scripts: opts.scripts })).join("\n"));
      },
    );
}
