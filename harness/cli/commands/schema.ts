// `harness schema`: prints or writes scenarios/scenario.schema.json, generated from the zod schema.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { scenarioJsonSchema } from "../../scenario/json-schema.ts";
import { scenariosDir } from "../../scenario/catalog.ts";
import type { CliState } from "../main.ts";

/** Registers the command. */
export function registerSchema(program: Command, _state: CliState): void {
  program
    .command("schema")
    .description("print the scenario JSON Schema (or --write it to scenarios/scenario.schema.json)")
    .option("--write", "write scenarios/scenario.schema.json")
    .action(async (opts: { write?: boolean }) => {
      const text = scenarioJsonSchema();
      if (!opts.write) {
        process.stdout.write(text);
        return;
      }
      const file = path.join(scenariosDir(), "scenario.schema.json");
      await writeFile(file, text);
      process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    });
}
