// `harness validate [files]`: checks scenario files (and their matrices) and reports every problem with file:line:col.
import type { Command } from "commander";
import { defaultLockFile, isUnpinned, readLock } from "../../artifacts/artifact-lock.ts";
import { ExitCode, ScenarioError } from "../../errors.ts";
import { catalogFiles } from "../../scenario/catalog.ts";
import { formatPath, loadScenario } from "../../scenario/load.ts";
import { expandMatrix } from "../../scenario/matrix.ts";
import { planCell } from "../../plan/planner.ts";
import { defaultRecipes } from "../../recipes/index.ts";
import { allowHostFilesOption, maxCellsOption } from "../scenario-options.ts";
import { terminalText } from "../../terminal-text.ts";
import { reportError } from "../output.ts";
import type { CliState } from "../main.ts";

/** Registers the command. */
export function registerValidate(program: Command, state: CliState): void {
  program
    .command("validate")
    .description("validate scenario files (default: the whole catalog), their matrices and plans")
    .argument("[files...]", "scenario files")
    .option("--strict", "an artifact artifacts.lock.json does not pin is an error, not a warning")
    .option("--lock <file>", "the lock file of artifacts without a published checksum", defaultLockFile)
    .addOption(allowHostFilesOption())
    .addOption(maxCellsOption())
    .action(
      async (
        files: string[],
        opts: { strict?: boolean; lock: string; allowHostFiles?: boolean; maxCells: number },
      ) => {
        const targets = files.length > 0 ? files : await catalogFiles();
        const lock = await readLock(opts.lock);
        let failed = 0;
        let cells = 0;
        let unpinned = 0;
        for (const file of targets) {
          try {
            const loaded = await loadScenario(file, { allowHostFiles: opts.allowHostFiles === true });
            const expanded = expandMatrix(loaded, { maxCells: opts.maxCells });
            const warned = new Set<string>();
            for (const cell of expanded)
              for (const a of planCell(cell, defaultRecipes).artifacts.filter(isUnpinned)) {
                if (lock.artifacts[a.url] !== undefined || warned.has(a.url)) continue;
                warned.add(a.url);
                unpinned++;
                const at = loaded.source.valueAt(a.checksum.field);
                process.stderr.write(
                  `${file}:${at.line}:${at.col}: ${formatPath(a.checksum.field)}: ${opts.strict ? "error" : "warning"}: ${a.url} is not pinned in ${opts.lock}; \`harness run\` refuses it until it is: ${a.checksum.unpinned}\n`,
                );
              }
            if (opts.strict && warned.size > 0) failed++;
            cells += expanded.length;
          } catch (err) {
            failed++;
            // Keys and values of a hostile file are quoted in messages: no control character reaches the terminal.
            if (err instanceof ScenarioError) process.stderr.write(`${terminalText(err.message)}\n`);
            else reportError(err, state.verbose);
          }
        }
        if (failed > 0) {
          process.stderr.write(`\n${failed} of ${targets.length} file(s) invalid\n`);
          state.exitCode = ExitCode.usage;
          return;
        }
        process.stdout.write(
          `${targets.length} scenario file(s), ${cells} cell(s): valid${unpinned > 0 ? `; ${unpinned} artifact(s) not pinned (warnings above; --strict makes them errors)` : ""}\n`,
        );
      },
    );
}
