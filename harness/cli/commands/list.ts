// `harness list`: the scenario catalog with tags, expected verdict, matrix size, links and each one's last run.
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { formatDuration } from "../../plan/duration.ts";
import { readRunRecord } from "../../reports/run-record.ts";
import { isRunId } from "../../runner/run-id.ts";
import { catalogFiles, repoRoot } from "../../scenario/catalog.ts";
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
  /** The newest run under the results directory, if any. */
  lastRun: LastRun | null;
}

/** What the newest run of a scenario found. */
export interface LastRun {
  runId: string;
  cellId: string;
  verdict: string;
  pass: boolean;
  /** False while the run is going on, or when it was killed before it could finish its record. */
  complete: boolean;
  startedAt: string;
  durationMs: number;
}

/** The newest readable run of `scenario` under `resultsDir` (run ids sort by their start time). */
async function lastRunOf(resultsDir: string, scenario: string): Promise<LastRun | null> {
  let names: string[];
  try {
    names = await readdir(path.join(resultsDir, scenario));
  } catch {
    return null;
  }
  for (const runId of names.filter(isRunId).sort().reverse()) {
    try {
      const r = await readRunRecord(path.join(resultsDir, scenario, runId));
      return {
        runId,
        cellId: r.cellId,
        verdict: r.verdict,
        pass: r.pass,
        complete: r.complete,
        startedAt: new Date(r.startedAt).toISOString(),
        durationMs: r.durationMs,
      };
    } catch {
      continue;
    }
  }
  return null;
}

/** The last-run column: `reproduced PASS 2026-12-04 04:05 (6m06s)`, or `never`. */
function lastRunText(r: LastRun | null): string {
  if (r === null) return "never";
  const when = r.startedAt.slice(0, 16).replace("T", " ");
  if (!r.complete) return `unfinished (running, or killed) ${when}`;
  return `${r.verdict} ${r.pass ? "PASS" : "FAIL"} ${when} (${formatDuration(r.durationMs)})`;
}

/** Loads every catalog scenario into list entries, each with its last run under `resultsDir`. */
export async function listCatalog(resultsDir: string): Promise<CatalogEntry[]> {
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
      lastRun: await lastRunOf(resultsDir, s.name),
    });
  }
  return entries;
}

/** Registers the command. */
export function registerList(program: Command, _state: CliState): void {
  program
    .command("list")
    .description(
      "list catalog scenarios: expected verdict, matrix size, image, Kubernetes, runtime, last run, tags",
    )
    .option("--json", "print JSON")
    .option("--links", "also print each scenario's links")
    .option(
      "--results <dir>",
      "results directory the last runs are read from",
      path.join(repoRoot, "results"),
    )
    .action(async (opts: { json?: boolean; links?: boolean; results: string }) => {
      const entries = await listCatalog(opts.results);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      process.stdout.write(catalogTable(entries, opts.links === true));
    });
}

/** The catalog as columns under a header line, optionally with each scenario's links below its row. */
export function catalogTable(entries: CatalogEntry[], links: boolean): string {
  const header = ["NAME", "EXPECT", "CELLS", "IMAGE", "KUBERNETES", "RUNTIME", "LAST RUN", "TAGS"];
  const rows = entries.map((e) => [
    e.name,
    e.expect,
    String(e.cells),
    e.image,
    e.kubernetes === "none" ? "runtime-only" : e.kubernetes,
    e.runtime,
    lastRunText(e.lastRun),
    e.tags.join(","),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const out = [line(header)];
  entries.forEach((e, i) => {
    out.push(line(rows[i] ?? []));
    if (links) for (const link of e.links) out.push(`  ${link}`);
  });
  return `${out.join("\n")}\n`;
}
