// Turns downloaded run directories (and the planned matrix) into the rows of the tracking issue.
import { z } from "zod";
import { UsageError } from "../errors.ts";
import { loadRuns, matrixRows } from "../reports/matrix-report.ts";
import type { TrackedCell } from "./tracking-issue-body.ts";

/** The `{include:[...]}` that `harness matrix --github` printed for the workflow; only `cell` is needed here. */
const plannedMatrixSchema = z.object({ include: z.array(z.object({ cell: z.string().min(1) }).loose()) });

/** The cell ids of a `harness matrix --github` JSON text; throws a UsageError when it is not one. */
export function plannedCells(json: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new UsageError(
      `--matrix is not JSON: ${String(err)}`,
      "pass the output of `harness matrix --github`",
    );
  }
  const parsed = plannedMatrixSchema.safeParse(value);
  if (!parsed.success)
    throw new UsageError(
      "--matrix is not a {include:[{cell:...}]} object",
      "pass the output of `harness matrix --github`",
    );
  return parsed.data.include.map((e) => e.cell);
}

/** One row per cell found below `paths`, plus a failing "no result" row for each planned cell without a run. */
export async function trackedCells(paths: string[], planned: string[] = []): Promise<TrackedCell[]> {
  const rows = matrixRows(await loadRuns(paths));
  const cells: TrackedCell[] = rows.map((r) => ({
    cellId: r.cellId,
    expect: r.expect,
    verdict: Object.entries(r.counts)
      .map(([verdict, n]) => (r.runs.length === 1 ? verdict : `${verdict} x${n}`))
      .join(", "),
    pass: r.runs.every((x) => x.record.pass),
  }));
  const seen = new Set(cells.map((c) => c.cellId));
  for (const cellId of planned)
    if (!seen.has(cellId)) cells.push({ cellId, expect: "?", verdict: "no result", pass: false });
  return cells;
}
