// `harness list`: the scenario catalog with tags, expected verdict, links and matrix size.
import path from "node:path";
import type { Command } from "commander";
import { catalogFiles } from "../../scenario/catalog.ts";
import { loadScenario } from "../../scenario/load.ts";
import { expandMatrix } from "../../scenario/matrix.ts";
import type { CliState } from "../main.ts";

/** One catalog entry as `harness list --json` prints it. */
export interface CatalogEntry {
  name: string;
  file: string;
  description: string;
  image: string;
  kubernetes: string;
  runtime: string;
  tags: string[];
  expect: string;
  links: string[];
  cells: number;
}

/** Loads every catalog scenario into list entries. */
export async function listCatalog(): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  for (const file of await catalogFiles()) {
    const loaded = await loadScenario(file);
    const s = loaded.scenario;
    entries.push({
      name: s.name,
      file: path.relative(process.cwd(), file),
      description: s.description.trim().split("\n")[0] ?? "",
      image: s.image,
      kubernetes: s.kubernetes === "none" ? "none" : s.kubernetes.version,
      runtime: s.runtime.kind,
      tags: s.tags,
      expect: s.expect.verdict,
      links: s.links,
      cells: expandMatrix(loaded).length,
    });
  }
  return entries;
}

/** Registers the command. */
export function registerList(program: Command, _state: CliState): void {
  program
    .command("list")
    .description("list catalog scenarios with tags, expected verdict, links and matrix size")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const entries = await listCatalog();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      const width = Math.max(...entries.map((e) => e.name.length), 4);
      for (const e of entries) {
        const k8s = e.kubernetes === "none" ? "runtime-only" : `k8s ${e.kubernetes}`;
        process.stdout.write(
          `${e.name.padEnd(width)}  expect ${e.expect.padEnd(10)}  ${String(e.cells).padStart(2)} cell(s)  ${e.image}, ${k8s}, ${e.runtime}  [${e.tags.join(", ")}]\n`,
        );
        for (const link of e.links) process.stdout.write(`${" ".repeat(width)}  ${link}\n`);
      }
    });
}
