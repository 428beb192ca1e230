// The `harness` command line: parses arguments, dispatches to a command, turns errors into exit codes.
import { Command, CommanderError } from "commander";
import { ExitCode } from "../errors.ts";
import { harnessVersion } from "../runner/harness-version.ts";
import { reportError } from "./output.ts";
import { registerList } from "./commands/list.ts";
import { registerValidate } from "./commands/validate.ts";
import { registerPlan } from "./commands/plan.ts";
import { registerMatrix } from "./commands/matrix.ts";
import { registerSchema } from "./commands/schema.ts";
import { registerRun } from "./commands/run.ts";
import { registerReport } from "./commands/report.ts";
import { registerAttach } from "./commands/attach.ts";
import { registerGithub } from "./commands/github.ts";
import { registerDoctor } from "./commands/doctor.ts";
import { registerCleanup } from "./commands/cleanup.ts";
import { registerImages } from "./commands/images.ts";
import { registerBuilds } from "./commands/builds.ts";
import { registerArtifacts } from "./commands/artifacts.ts";

/** What a command action resolves to: its exit code. */
export type CommandResultCode = number;

/** Holds the exit code a command action decided on. */
export interface CliState {
  exitCode: number;
  verbose: boolean;
}

/** Builds the program with every command registered. */
export function buildProgram(state: CliState): Command {
  const program = new Command("harness")
    .description("VM-based end-to-end test harness for Kubernetes nodes")
    .version(harnessVersion(), "--version", "print the harness version and the commit it runs from")
    .option("--verbose", "stream command output and show stack traces on errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  program.hook("preAction", (cmd) => {
    state.verbose = Boolean(cmd.opts<{ verbose?: boolean }>().verbose);
  });
  for (const register of [
    registerList,
    registerValidate,
    registerPlan,
    registerMatrix,
    registerSchema,
    registerRun,
    registerReport,
    registerAttach,
    registerGithub,
    registerDoctor,
    registerCleanup,
    registerImages,
    registerBuilds,
    registerArtifacts,
  ]) {
    register(program, state);
  }
  return program;
}

/** Runs the CLI with arguments (without `node` and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const state: CliState = { exitCode: ExitCode.ok, verbose: argv.includes("--verbose") };
  const program = buildProgram(state);
  try {
    await program.parseAsync(argv, { from: "user" });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.version" ||
        err.code === "commander.help"
      )
        return ExitCode.ok;
      return ExitCode.usage;
    }
    return reportError(err, state.verbose);
  }
}
