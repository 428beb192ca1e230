// A Mermaid gantt chart of a run's steps per machine, in the subset of the syntax GitHub renders.
import type { TimelineModel } from "./timeline-model.ts";

/** A task or section name Mermaid accepts: no `:` `#` `;` (they end or comment a task), no newlines. */
export function ganttLabel(text: string): string {
  const cleaned = text
    .replace(/[:#;\r\n]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned === "" ? "step" : cleaned;
}

/**
 * `gantt` with `dateFormat x` (ms since the epoch) and one section per lane; failed steps are `crit`.
 * Each task has an explicit start and end time, at least 1 ms apart (zero-length tasks vanish).
 */
export function mermaidGantt(model: TimelineModel, title: string): string {
  const lines = ["gantt", `  title ${ganttLabel(title)}`, "  dateFormat x", "  axisFormat %H.%M.%S"];
  let id = 0;
  for (const lane of model.lanes) {
    const spans = model.spans.get(lane) ?? [];
    if (spans.length === 0) continue;
    lines.push(`  section ${ganttLabel(lane)}`);
    for (const s of spans) {
      id += 1;
      const tags = [s.failed ? "crit" : s.outcome === "running" ? "active" : "done", `t${id}`];
      const end = Math.max(s.end, s.start + 1);
      lines.push(`    ${ganttLabel(`${s.step} (${s.outcome})`)} :${tags.join(", ")}, ${s.start}, ${end}`);
    }
  }
  return lines.join("\n");
}
