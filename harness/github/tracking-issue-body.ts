// The body and title of the nightly tracking issue: one row per cell, failing cells first.
import { trackingMarker } from "./comment-marker.ts";
import { githubCommentLimit } from "./comment-limit.ts";
import { inlineCode, table } from "./markdown.ts";

/** One cell's latest state, as the tracking issue shows it. */
export interface TrackedCell {
  cellId: string;
  expect: string;
  /** The verdicts of its runs (e.g. "reproduced" or "healthy x2, unhealthy x1"), or "no result". */
  verdict: string;
  pass: boolean;
}

/** What the tracking issue says about one workflow run. */
export interface TrackingReport {
  /** Tracker name, kept in the hidden marker (several workflows can keep separate issues). */
  name: string;
  cells: TrackedCell[];
  /** Link to the workflow run the results come from. */
  runUrl?: string;
  /** When the report was made. */
  at: Date;
}

/** Whether every cell passed (and there was at least one). */
export function allPass(report: TrackingReport): boolean {
  return report.cells.length > 0 && report.cells.every((c) => c.pass);
}

/** The issue title: how many cells fail. */
export function trackingTitle(report: TrackingReport): string {
  const failing = report.cells.filter((c) => !c.pass).length;
  const total = report.cells.length;
  return allPass(report)
    ? `${report.name}: all ${total} scenario cells pass`
    : `${report.name}: ${failing} of ${total} scenario cells fail`;
}

/** The issue body, within GitHub's 65,536-character limit (passing rows are dropped first when it is not). */
export function trackingBody(report: TrackingReport, limit = githubCommentLimit): string {
  const failing = report.cells.filter((c) => !c.pass);
  const passing = report.cells.filter((c) => c.pass);
  const when = report.at
    .toISOString()
    .replace(/:\d\d\.\d+Z$/, " UTC")
    .replace("T", " ");
  const run = report.runUrl ? `[${report.name} run](${report.runUrl})` : `${report.name} run`;
  const headline =
    report.cells.length === 0
      ? `**No cell produced a result** in the ${run} (${when}).`
      : failing.length === 0
        ? `**All ${report.cells.length} cells pass** in the ${run} (${when}).`
        : `**${failing.length} of ${report.cells.length} cells fail** in the ${run} (${when}).`;
  const row = (c: TrackedCell) => [inlineCode(c.cellId), c.expect, c.verdict, c.pass ? "✅ yes" : "❌ no"];
  const footer = `<sub>Opened, updated and closed by \`harness github track-issue\`; edits to this body are overwritten.</sub>`;
  const render = (rows: TrackedCell[], dropped: number) =>
    [
      trackingMarker(report.name),
      headline,
      rows.length > 0 ? table(["Cell", "Expected", "Verdict", "Pass"], rows.map(row)) : "",
      dropped > 0 ? `_${dropped} passing cells left out to fit GitHub's body limit._` : "",
      footer,
    ]
      .filter((p) => p !== "")
      .join("\n\n");
  let shown = [...failing, ...passing];
  let body = render(shown, 0);
  while (body.length > limit && shown.length > failing.length) {
    shown = shown.slice(0, Math.max(failing.length, shown.length - Math.ceil(passing.length / 10)));
    body = render(shown, report.cells.length - shown.length);
  }
  while (body.length > limit && shown.length > 0) {
    shown = shown.slice(0, Math.floor(shown.length * 0.9));
    body = render(shown, 0).replace(
      footer,
      `_Only the first ${shown.length} failing cells are listed._\n\n${footer}`,
    );
  }
  return body;
}
