// `harness report`: merges runs into a matrix table (cell x verdict, with links) in Markdown and HTML.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Verdict } from "../timeline/events.ts";
import { installedVersions } from "./installed-versions.ts";
import { readRunRecord, type RunRecord } from "./run-record.ts";
import { mdCell } from "./summary-md.ts";
import { escapeXml } from "./xml-escape.ts";

/** One row of the matrix: every run of one cell. */
export interface MatrixRow {
  scenario: string;
  cellId: string;
  expect: "reproduced" | "healthy";
  runs: { runDir: string; record: RunRecord }[];
  /** How many runs ended with each verdict. */
  counts: Partial<Record<Verdict, number>>;
  /** Runs whose verdict matched the expectation, over runs that decided anything (not error/infra/aborted). */
  rate: { matched: number; decided: number };
}

/** Run directories below each path (a run dir itself, a scenario dir, or a whole results dir). */
export async function findRunDirs(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir).catch(() => [] as string[]);
    if (entries.includes("run.json")) {
      found.push(dir);
      return;
    }
    if (depth >= 3) return;
    for (const e of entries.sort()) {
      const full = path.join(dir, e);
      if (e.startsWith(".")) continue;
      if ((await stat(full).catch(() => null))?.isDirectory()) await walk(full, depth + 1);
    }
  };
  for (const p of paths) await walk(p, 0);
  return [...new Set(found)];
}

const decidedVerdicts: ReadonlySet<Verdict> = new Set([
  "reproduced",
  "healthy",
  "not-reproduced",
  "unhealthy",
]);

/** Groups runs by cell, in first-seen order. */
export function matrixRows(runs: { runDir: string; record: RunRecord }[]): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  for (const run of runs) {
    const key = `${run.record.scenario}\u0000${run.record.cellId}`;
    const row = rows.get(key) ?? {
      scenario: run.record.scenario,
      cellId: run.record.cellId,
      expect: run.record.expect,
      runs: [],
      counts: {},
      rate: { matched: 0, decided: 0 },
    };
    row.runs.push(run);
    row.counts[run.record.verdict] = (row.counts[run.record.verdict] ?? 0) + 1;
    if (decidedVerdicts.has(run.record.verdict)) {
      row.rate.decided += 1;
      if (run.record.pass) row.rate.matched += 1;
    }
    rows.set(key, row);
  }
  return [...rows.values()];
}

function verdictText(row: MatrixRow): string {
  return Object.entries(row.counts)
    .map(([v, n]) => (row.runs.length === 1 ? v : `${v} x${n}`))
    .join(", ");
}

/** The installed versions of a row's runs: one line when every run had the same, else one line per run. */
function installedLines(row: MatrixRow): string[] {
  const perRun = row.runs.map((x) => ({
    runId: x.record.runId,
    text: installedVersions(x.record).join(", "),
  }));
  const distinct = new Set(perRun.map((r) => r.text));
  if (distinct.size <= 1) return [perRun[0]?.text || "not recorded"];
  return perRun.map((r) => `${r.runId}: ${r.text || "not recorded"}`);
}

function rateText(row: MatrixRow): string {
  if (row.rate.decided === 0) return "n/a";
  return `${row.rate.matched}/${row.rate.decided} (${Math.round((row.rate.matched / row.rate.decided) * 100)}%)`;
}

/** The matrix as Markdown; links are relative to `baseDir` (where the report is written). */
export function matrixMarkdown(rows: MatrixRow[], baseDir: string): string {
  const lines = [
    "# Scenario matrix",
    "",
    "| Cell | Expected | Verdict | Pass | Rate | Installed | Runs |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => {
      const pass = r.runs.every((x) => x.record.pass) ? "yes" : "no";
      const links = r.runs
        .map(
          (x) =>
            `[${x.record.runId}](${path.relative(baseDir, path.join(x.runDir, "summary.md")).split(path.sep).join("/")})`,
        )
        .join(" ");
      const installed = installedLines(r).map(mdCell).join("<br>");
      return `| ${mdCell(r.cellId)} | ${r.expect} | ${mdCell(verdictText(r))} | ${pass} | ${rateText(r)} | ${installed} | ${links} |`;
    }),
  ];
  return `${lines.join("\n")}\n`;
}

/** The matrix as a self-contained HTML page. */
export function matrixHtml(rows: MatrixRow[], baseDir: string): string {
  const body = rows
    .map((r) => {
      const pass = r.runs.every((x) => x.record.pass);
      const links = r.runs
        .map((x) => {
          const href = path.relative(baseDir, path.join(x.runDir, "timeline.html")).split(path.sep).join("/");
          return `<a href="${escapeXml(href)}">${escapeXml(x.record.runId)}</a> (${escapeXml(x.record.verdict)})`;
        })
        .join("<br>");
      return `<tr class="${pass ? "pass" : "fail"}"><td>${escapeXml(r.cellId)}</td><td>${r.expect}</td><td>${escapeXml(verdictText(r))}</td><td>${pass ? "yes" : "no"}</td><td>${escapeXml(rateText(r))}</td><td class="installed">${installedLines(r).map(escapeXml).join("<br>")}</td><td>${links}</td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scenario matrix</title>
<style>body{font:14px system-ui,sans-serif;margin:16px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}tr.pass td:nth-child(4){background:#d8f3dc}tr.fail td:nth-child(4){background:#ffccd5}td.installed{font-size:12px;max-width:40em}</style></head>
<body><h1>Scenario matrix</h1>
<table><tr><th>Cell</th><th>Expected</th><th>Verdict</th><th>Pass</th><th>Rate</th><th>Installed</th><th>Runs</th></tr>
${body}
</table></body></html>
`;
}

/** Loads every run below the paths. */
export async function loadRuns(paths: string[]): Promise<{ runDir: string; record: RunRecord }[]> {
  const dirs = await findRunDirs(paths);
  return Promise.all(
    dirs.map(async (runDir) => ({ runDir: path.resolve(runDir), record: await readRunRecord(runDir) })),
  );
}
