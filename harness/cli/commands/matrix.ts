// `harness matrix`: the cells of one or more scenarios, as text, JSON, or a GitHub Actions strategy.matrix.
import type { Command } from "commander";
import { catalogFiles, resolveCells } from "../../scenario/catalog.ts";
import type { ScenarioCell } from "../../scenario/matrix.ts";
import { UsageError } from "../../errors.ts";
import type { CliState } from "../main.ts";

/** One entry of the `--github` matrix: what a workflow job needs to run one cell. */
export interface GithubMatrixEntry {
  scenario: string;
  cell: string;
  /** Short display name for the job. */
  name: string;
}

/** The `{ include: [...] }` object a workflow passes to `strategy.matrix` via fromJSON. */
export function githubMatrix(cells: ScenarioCell[]): { include: GithubMatrixEntry[] } {
  return { include: cells.map((c) => ({ scenario: c.scenarioName, cell: c.id, name: c.id })) };
}

/** Cells of the given scenarios (default: the catalog), narrowed by tags and filters. */
export async function selectCells(
  refs: string[],
  options: { tags: string[]; filters: string[] },
): Promise<ScenarioCell[]> {
  const all: ScenarioCell[] = [];
  for (const ref of refs.length > 0 ? refs : await catalogFiles()) {
    const { cells, loaded } = await resolveCells(ref);
    if (options.tags.some((t) => !loaded.scenario.tags.includes(t))) continue;
    all.push(...cells);
  }
  const filtered = all.filter((c) =>
    options.filters.every((f) => {
      const [axis, label] = f.split("=", 2);
      return axis !== undefined && label !== undefined && c.labels[axis] === label;
    }),
  );
  if (filtered.length === 0)
    throw new UsageError(
      "no cell matches the selection",
      "check --tag and --filter against `harness matrix`",
    );
  return filtered;
}

/** Registers the command. */
export function registerMatrix(program: Command, _state: CliState): void {
  program
    .command("matrix")
    .description("list the matrix cells of scenarios (default: the whole catalog)")
    .argument("[scenarios...]", "catalog names or files")
    .option(
      "--tag <tag>",
      "only scenarios with this tag (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      "--filter <axis=value>",
      "only cells with this axis value (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option("--json", "print cells as JSON")
    .option("--github", "print {include:[...]} for a GitHub Actions strategy.matrix (one line)")
    .action(
      async (refs: string[], opts: { tag: string[]; filter: string[]; json?: boolean; github?: boolean }) => {
        const cells = await selectCells(refs, { tags: opts.tag, filters: opts.filter });
        if (opts.github) {
          process.stdout.write(`${JSON.stringify(githubMatrix(cells))}\n`);
        } else if (opts.json) {
          const rows = cells.map((c) => ({
            id: c.id,
            scenario: c.scenarioName,
            labels: c.labels,
            expect: c.scenario.expect.verdict,
          }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        } else {
          for (const c of cells) process.stdout.write(`${c.id}  (expect ${c.scenario.expect.verdict})\n`);
        }
      },
    );
}
