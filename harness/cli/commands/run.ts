// `harness run`: executes scenario cells on real machines (delivered by issue 5, the runner).
import type { Command } from "commander";
import { HarnessError, ExitCode } from "../../errors.ts";
import { resolveCells } from "../../scenario/catalog.ts";
import type { CliState } from "../main.ts";

/** Registers the command. */
export function registerRun(program: Command, _state: CliState): void {
  program
    .command("run")
    .description("run scenario cells on real machines")
    .argument("<scenario>", "catalog name, file path, or cell id")
    .action(async (ref: string) => {
      const { cells } = await resolveCells(ref);
      throw new HarnessError(
        "NOT_IMPLEMENTED",
        `harness run cannot execute ${cells.length} cell(s) of ${ref} yet: the runner is not built`,
        {
          hint: 'the runner is issue 5 ("Runner, timeline and results"); use `harness plan` to see what it would do',
          exitCode: ExitCode.notImplemented,
        },
      );
    });
}
