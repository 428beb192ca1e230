// `harness validate [files]`: checks scenario files (and their matrices) and reports every problem with file:line:col.
import type { Command } from "commander";
import { ExitCode, ScenarioError } from "../../errors.ts";
import { catalogFiles } from "../../scenario/catalog.ts";
import { loadScenario } from "../../scenario/load.ts";
import { expandMatrix } from "../../scenario/matrix.ts";
import { planCell } from "../../plan/planner.ts";
import { defaultRecipes } from "../../recipes/index.ts";
import { reportError } from "../output.ts";
import type { CliState } from "../main.ts";

/** Registers the command. */
export function registerValidate(program: Command, state: CliState): void {
  program
    .command("validate")
    .description("validate scenario files (default: the whole catalog), their matrices and plans")
    .argument("[files...]", "scenario files")
    .action(async (files: string[]) => {
      const targets = files.length > 0 ? files : await catalogFiles();
      let failed = 0;
      let cells = 0;
      for (const file of targets) {
        try {
          const loaded = await loadScenario(file);
          const expanded = expandMatrix(loaded);
          for (const cell of expanded) planCell(cell, defaultRecipes);
          cells += expanded.length;
        } catch (err) {
          failed++;
          if (err instanceof ScenarioError) process.stderr.write(`${err.message}\n`);
          else reportError(err, state.verbose);
        }
      }
      if (failed > 0) {
        process.stderr.write(`\n${failed} of ${targets.length} file(s) invalid\n`);
        state.exitCode = ExitCode.usage;
        return;
      }
      process.stdout.write(`${targets.length} scenario file(s), ${cells} cell(s): valid\n`);
    });
}
