// Finds scenario files and resolves a user's reference (name, path, or cell id) to cells.
import { readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../errors.ts";
import { closestName } from "./did-you-mean.ts";
import { loadScenario, type LoadedScenario } from "./load.ts";
import { expandMatrix, filterCells, type ScenarioCell } from "./matrix.ts";

/** The repository's root (where scenarios/ and images/ live). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The scenario directory: `HARNESS_SCENARIOS` or `<repo>/scenarios`. */
export function scenariosDir(): string {
  return process.env.HARNESS_SCENARIOS ?? path.join(repoRoot, "scenarios");
}

/** Every scenario file in the catalog, sorted. */
export async function catalogFiles(dir = scenariosDir()): Promise<string[]> {
  const entries = await readdir(dir);
  return entries
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => displayPath(path.join(dir, f)));
}

/** A path relative to the working directory when it lies below it (for messages like scenarios/x.yaml:3:1). */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

/** A reference split into the scenario part and an optional `[axis=label,...]` cell part. */
export function splitCellRef(ref: string): { scenario: string; cell?: string } {
  const open = ref.indexOf("[");
  return open > 0 && ref.endsWith("]") ? { scenario: ref.slice(0, open), cell: ref } : { scenario: ref };
}

/** Resolves a scenario name or file path to its file. */
export async function resolveScenarioFile(ref: string): Promise<string> {
  if (ref.includes("/") || ref.endsWith(".yaml") || ref.endsWith(".yml")) {
    if (!existsSync(ref))
      throw new UsageError(
        `no scenario file ${ref}`,
        "check the path, or name a catalog scenario (`harness list`)",
      );
    return ref;
  }
  const files = await catalogFiles();
  const match = files.find((f) => path.basename(f).replace(/\.ya?ml$/, "") === ref);
  if (match) return match;
  const names = files.map((f) => path.basename(f).replace(/\.ya?ml$/, ""));
  const guess = closestName(ref, names);
  throw new UsageError(
    `no scenario named ${ref}`,
    guess === null
      ? `scenarios are: ${names.join(", ")} (see \`harness list\`)`
      : `did you mean ${guess}? (\`harness list\` shows every scenario)`,
  );
}

/** Loads a scenario by reference and returns its cells, narrowed by a cell id in the reference and by filters. */
export async function resolveCells(
  ref: string,
  options: { cell?: string; filters?: string[]; allowHostFiles?: boolean; maxCells?: number } = {},
): Promise<{ loaded: LoadedScenario; cells: ScenarioCell[] }> {
  const { scenario, cell } = splitCellRef(ref);
  const loaded = await loadScenario(await resolveScenarioFile(scenario), {
    allowHostFiles: options.allowHostFiles ?? false,
  });
  const all = expandMatrix(loaded, options.maxCells === undefined ? {} : { maxCells: options.maxCells });
  const wanted = options.cell ?? cell;
  const cells =
    wanted === undefined && (options.filters ?? []).length === 0
      ? all
      : filterCells(all, { cell: wanted, filters: options.filters });
  return { loaded, cells };
}

/** The catalog scenarios that carry every one of the tags, by name, in catalog order. */
export async function catalogNamesTagged(tags: string[]): Promise<string[]> {
  const names: string[] = [];
  for (const file of await catalogFiles()) {
    const { scenario } = await loadScenario(file);
    if (tags.every((t) => scenario.tags.includes(t))) names.push(scenario.name);
  }
  return names;
}
