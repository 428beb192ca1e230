// timeline.html: a self-contained page (inline SVG, CSS and a few lines of script, no network) showing the run:
// the problems first, a focus chart where things happen, the whole run, evidence marked where it was logged, and
// every step expandable to its output, with links to the run's files and the upstream issues.
import { failedOutcomes } from "../timeline/events.ts";
import { failureCause } from "./failure-cause.ts";
import { loggedEvidence, observationStart, withLoggedTimes, type LoggedEvidence } from "./evidence-times.ts";
import { verdictHeadline } from "./verdict-words.ts";
import { formatDuration } from "../plan/duration.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import type { RunRecord } from "./run-record.ts";
import { timelineModel, type Marker, type Span, type Stage, type TimelineModel } from "./timeline-model.ts";
import { escapeXml } from "./xml-escape.ts";

const width = 1200;
const labelWidth = 170;
const laneHeight = 30;
const seriesHeight = 46;
const axisHeight = 26;
const plotWidth = width - labelWidth - 20;

/** Colours of the phases (failed steps are red whatever their phase). */
const phaseColors: Record<string, string> = {
  create: "#8ab4f8",
  "prepare-os": "#a7c7e7",
  "install-runtime": "#9fd3c7",
  configure: "#b5e48c",
  bootstrap: "#ffd166",
  cni: "#f4a261",
  join: "#e9c46a",
  workload: "#c77dff",
  observe: "#80ced7",
  collect: "#cdb4db",
  destroy: "#bdbdbd",
};

/** Outcomes where a failure was expected or is evidence: outlined, not red. */
const evidenceOutcomes: ReadonlySet<string> = new Set(["tolerated-failure", "expected-failure"]);

const markerColors: Record<Marker["kind"], string> = {
  retry: "#e76f51",
  error: "#d62828",
  "kube-event": "#6a4c93",
  machine: "#457b9d",
  interrupt: "#000000",
};

/** The stretch of time a chart shows. */
interface TimeWindow {
  start: number;
  end: number;
}

function scale(window: TimeWindow): (at: number) => number {
  const span = Math.max(1, window.end - window.start);
  return (at) => labelWidth + ((at - window.start) / span) * plotWidth;
}

function axis(window: TimeWindow, origin: number, x: (at: number) => number): string {
  const total = Math.max(1, window.end - window.start);
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].map((s) => s * 1000);
  const tick = steps.find((s) => total / s <= 12) ?? 3_600_000;
  const parts: string[] = [];
  // Ticks count from the run's start in every chart, so the focus chart's times match the whole run's.
  for (let t = Math.ceil((window.start - origin) / tick) * tick; origin + t <= window.end; t += tick) {
    const px = x(origin + t).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${axisHeight - 6}" y2="100%" class="grid"/>`,
      `<text x="${px}" y="${axisHeight - 10}" class="tick">${escapeXml(formatDuration(t))}</text>`,
    );
  }
  return parts.join("");
}

function spanRect(s: Span, y: number, x: (at: number) => number, window: TimeWindow): string {
  const x0 = x(Math.max(s.start, window.start));
  const w = Math.max(2, x(Math.min(s.end, window.end)) - x0);
  const fill = s.failed ? "#e63946" : (phaseColors[s.phase] ?? "#cccccc");
  const detail = `${s.step}: ${s.outcome}, ${formatDuration(s.end - s.start)}\n${s.detail}`;
  const label =
    w > s.step.length * 6.2 + 8
      ? `<text x="${(x0 + 4).toFixed(1)}" y="${y + 19}" class="span-label">${escapeXml(s.step)}</text>`
      : "";
  return `<g class="span${s.failed ? " failed" : ""}" data-step="${escapeXml(s.step)}" data-outcome="${s.outcome}" data-detail="${escapeXml(detail)}"><rect x="${x0.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${laneHeight - 8}" rx="3" fill="${fill}"${s.failed ? ' stroke="#7a0010" stroke-width="2"' : evidenceOutcomes.has(s.outcome) ? ' stroke="#b5651d" stroke-width="2" stroke-dasharray="4 2"' : ""}><title>${escapeXml(detail)}</title></rect>${label}</g>`;
}

function markerMark(m: Marker, y: number, x: (at: number) => number): string {
  const px = x(m.at);
  const color = markerColors[m.kind];
  return `<g class="marker marker-${m.kind}" data-detail="${escapeXml(`${m.kind}: ${m.label}`)}"><path d="M${(px - 5).toFixed(1)} ${y} L${(px + 5).toFixed(1)} ${y} L${px.toFixed(1)} ${y + 8} Z" fill="${color}"><title>${escapeXml(`${m.kind}: ${m.label}`)}</title></path></g>`;
}

/** A machine's creation stage as a thin bar at the foot of its lane, inside the create step. */
function stageBar(st: Stage, y: number, x: (at: number) => number, window: TimeWindow): string {
  const x0 = x(Math.max(st.start, window.start));
  const w = Math.max(1, x(Math.min(st.end, window.end)) - x0);
  const detail = `${st.name}: ${formatDuration(st.end - st.start)}\n${st.detail}`;
  return `<g class="stage" data-stage="${escapeXml(st.name)}" data-detail="${escapeXml(detail)}"><rect x="${x0.toFixed(1)}" y="${y + laneHeight - 9}" width="${w.toFixed(1)}" height="5" fill="${st.name === "boot to SSH" ? "#1d3557" : "#6c757d"}"><title>${escapeXml(detail)}</title></rect></g>`;
}

/** A vertical mark across the chart where a quoted evidence line was logged, numbered as in the Evidence list. */
function evidenceMark(e: LoggedEvidence, n: number, height: number, x: (at: number) => number): string {
  const px = x(e.at).toFixed(1);
  const detail = `E${n}, logged on ${e.node}${e.step === null ? "" : ` during ${e.step}`}:\n${e.line}`;
  return `<g class="evidence-mark" data-evidence="${n}" data-detail="${escapeXml(detail)}"><line x1="${px}" x2="${px}" y1="${axisHeight - 4}" y2="${height - 4}" stroke="#d35400" stroke-width="1.5" stroke-dasharray="3 2"/><rect x="${(Number(px) - 9).toFixed(1)}" y="${axisHeight - 4}" width="18" height="12" rx="2" fill="#d35400"><title>${escapeXml(detail)}</title></rect><text x="${px}" y="${axisHeight + 5}" class="evidence-label">E${n}</text></g>`;
}

/** A sample's value as a number when it is one (command probes report numbers as text). */
function numericValue(v: number | string | boolean | null): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

function seriesRow(
  all: TimelineModel["series"][number],
  y: number,
  x: (at: number) => number,
  window: TimeWindow,
): string {
  const series = { ...all, points: all.points.filter((p) => p.at >= window.start && p.at <= window.end) };
  const numeric = series.points
    .map((p) => ({ at: p.at, value: numericValue(p.value) }))
    .filter((p): p is { at: number; value: number } => p.value !== null);
  const values = numeric.map((p) => p.value);
  const min = Math.min(0, ...values);
  const max = Math.max(1, ...values);
  const yOf = (v: number) => y + seriesHeight - 6 - ((v - min) / (max - min)) * (seriesHeight - 14);
  const line =
    numeric.length > 1
      ? `<polyline class="series-line" fill="none" stroke="#1d3557" stroke-width="1.5" points="${numeric.map((p) => `${x(p.at).toFixed(1)},${yOf(p.value).toFixed(1)}`).join(" ")}"/>`
      : "";
  const dots = series.points
    .map((p, i) => {
      const n = numericValue(p.value);
      const cy = n !== null ? yOf(n) : y + seriesHeight / 2;
      const detail = `${series.probe} on ${series.node} = ${p.value === null ? `no reading${p.error ? ` (${p.error})` : ""}` : String(p.value)}\n${p.evidence.slice(-8).join("\n")}`;
      const fill = p.value === null ? "#e63946" : "#1d3557";
      // Text values are written where they change, so a steady series does not overprint itself.
      const changed = i === 0 || series.points[i - 1]?.value !== p.value;
      const text =
        n !== null || p.value === null || !changed
          ? ""
          : `<text x="${(x(p.at) + 5).toFixed(1)}" y="${(cy + 4).toFixed(1)}" class="value-label">${escapeXml(String(p.value).slice(0, 24))}</text>`;
      return `<g class="sample" data-detail="${escapeXml(detail)}"><circle cx="${x(p.at).toFixed(1)}" cy="${cy.toFixed(1)}" r="3.5" fill="${fill}"><title>${escapeXml(detail)}</title></circle>${text}</g>`;
    })
    .join("");
  return `<g class="series" data-probe="${escapeXml(series.probe)}" data-node="${escapeXml(series.node)}"><text x="8" y="${y + seriesHeight / 2 + 4}" class="lane-label">${escapeXml(`${series.probe} (${series.node})`)}</text><line x1="${labelWidth}" x2="${width - 20}" y1="${y + seriesHeight - 2}" y2="${y + seriesHeight - 2}" class="baseline"/>${numeric.length > 0 ? `<text x="${labelWidth - 6}" y="${y + 12}" class="range">${max}</text>` : ""}${line}${dots}</g>`;
}

const style = `
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}
.verdict{display:inline-block;padding:2px 8px;border-radius:4px;color:#fff;font-weight:600}
.pass{background:#2a9d8f}.fail{background:#e63946}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
svg.chart{border:1px solid #ddd;background:#fafafa;width:100%;max-width:${width}px;height:auto;display:block}
h2{font-size:16px;margin:14px 0 4px}.headline{font-size:15px;font-weight:400;color:#444}
.problems li.failed{color:#b00020}.problems li.evidence{color:#8a4b08}
.outcome.failed{color:#b00020;font-weight:600}.outcome.evidence{color:#8a4b08;font-weight:600}
details.step{margin:2px 0}details.step pre{margin:4px 0 8px}
.evidence-label{font-size:9px;fill:#fff;text-anchor:middle;pointer-events:none}
.lane-label{font-size:12px;fill:#222}.tick{font-size:11px;fill:#555;text-anchor:middle}
.grid{stroke:#e3e3e3}.baseline{stroke:#ccc}.lane-sep{stroke:#ddd}
.span-label{font-size:11px;fill:#111;pointer-events:none}.value-label{font-size:10px;fill:#333}
.range{font-size:10px;fill:#777;text-anchor:end}
.span.failed rect{filter:drop-shadow(0 0 2px #e63946)}
#tip{position:fixed;display:none;max-width:560px;white-space:pre-wrap;background:#222;color:#fff;font:12px/1.35 ui-monospace,monospace;padding:6px 8px;border-radius:4px;pointer-events:none;z-index:10}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px;border-radius:2px}
pre{background:#f4f4f4;padding:8px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
`;

const script = `
const tip=document.getElementById("tip");
document.querySelectorAll("[data-detail]").forEach(el=>{
  el.addEventListener("mousemove",e=>{tip.textContent=el.getAttribute("data-detail");tip.style.display="block";
    tip.style.left=Math.min(e.clientX+12,innerWidth-580)+"px";tip.style.top=(e.clientY+12)+"px";});
  el.addEventListener("mouseleave",()=>{tip.style.display="none";});
});
`;

/** One chart of the run over `window`: the machines' lanes, the probes' series, the evidence marks. */
function chart(model: TimelineModel, window: TimeWindow, evidence: LoggedEvidence[], id: string): string {
  const x = scale(window);
  const parts: string[] = [axis(window, model.start, x)];
  let y = axisHeight + 10;
  const inside = (a: number, b: number) => b >= window.start && a <= window.end;
  for (const lane of model.lanes) {
    parts.push(
      `<g class="lane" data-lane="${escapeXml(lane)}"><text x="8" y="${y + 19}" class="lane-label">${escapeXml(lane)}</text>`,
      ...(model.spans.get(lane) ?? [])
        .filter((s) => inside(s.start, s.end))
        .map((s) => spanRect(s, y, x, window)),
      ...(model.stages.get(lane) ?? [])
        .filter((st) => inside(st.start, st.end))
        .map((st) => stageBar(st, y, x, window)),
      ...model.markers.filter((m) => m.lane === lane && inside(m.at, m.at)).map((m) => markerMark(m, y, x)),
      `<line x1="0" x2="${width}" y1="${y + laneHeight}" y2="${y + laneHeight}" class="lane-sep"/></g>`,
    );
    y += laneHeight;
  }
  for (const series of model.series) {
    parts.push(seriesRow(series, y, x, window));
    y += seriesHeight;
  }
  const height = y + 8;
  evidence.forEach((e, i) => {
    if (inside(e.at, e.at)) parts.push(evidenceMark(e, i + 1, height, x));
  });
  return `<svg id="${id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet">${parts.join("")}</svg>`;
}

/**
 * Where the run's interesting moments are (failed steps, failures as evidence, logged evidence), with a margin;
 * null when there are none, or when they spread over most of the run anyway.
 */
function focusWindow(model: TimelineModel, evidence: LoggedEvidence[]): TimeWindow | null {
  const spans = [...model.spans.values()].flat().filter((s) => s.failed || evidenceOutcomes.has(s.outcome));
  const times = [...spans.flatMap((s) => [s.start, s.end]), ...evidence.map((e) => e.at)];
  if (times.length === 0) return null;
  const first = Math.min(...times);
  const last = Math.max(...times);
  const pad = Math.max(5_000, (last - first) * 0.15);
  const window = { start: Math.max(model.start, first - pad), end: Math.min(model.end, last + pad) };
  return window.end - window.start > 0.7 * (model.end - model.start) ? null : window;
}

/** At most this many output lines of a step are kept on the page, the last ones. */
const outputLinesPerStep = 80;

/** Each step's output lines (`node| line`), the last `outputLinesPerStep`, keyed by step id. */
function stepOutputs(events: TimelineEvent[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of events) {
    if (e.kind !== "output") continue;
    const lines = out.get(e.step) ?? [];
    lines.push(`${e.node}| ${e.line.slice(0, 400)}`);
    if (lines.length > outputLinesPerStep) lines.shift();
    out.set(e.step, lines);
  }
  return out;
}

/** The steps whose outcome a reader must not miss: failures, and failures the scenario takes as evidence. */
function problemList(run: RunRecord): string {
  const items = run.steps
    .filter((s) => failedOutcomes.has(s.outcome) || evidenceOutcomes.has(s.outcome))
    .map((s) => {
      const cls = failedOutcomes.has(s.outcome) ? "failed" : "evidence";
      const cause = s.message === undefined ? "" : `: ${escapeXml(failureCause(s.message))}`;
      return `<li class="${cls}"><a href="#step-${escapeXml(s.id)}">${escapeXml(s.id)}</a> <b>${escapeXml(s.outcome)}</b>${s.nodes.length > 0 ? ` on ${escapeXml(s.nodes.join(", "))}` : ""}${cause}</li>`;
    });
  return items.length === 0 ? "" : `<ul class="problems">${items.join("")}</ul>`;
}

/** Every step, in run order, each expandable to its message, its output and its saved script. */
function stepList(run: RunRecord, outputs: Map<string, string[]>): string {
  const rows = run.steps.map((s) => {
    const failed = failedOutcomes.has(s.outcome);
    const body = [s.message ?? "", ...(outputs.get(s.id) ?? [])].filter((l) => l !== "").join("\n");
    const scripts =
      s.script === undefined
        ? ""
        : ` · script: ${s.nodes.map((n) => `<a href="logs/${escapeXml(n)}/scripts/${escapeXml(s.script ?? "")}">${escapeXml(n)}</a>`).join(", ")}`;
    const summary = `<summary><b>${escapeXml(s.id)}</b> <span class="outcome ${failed ? "failed" : evidenceOutcomes.has(s.outcome) ? "evidence" : ""}">${escapeXml(s.outcome)}</span> ${escapeXml(s.startedAt === null ? "" : formatDuration(s.durationMs))}${s.nodes.length > 0 ? ` on ${escapeXml(s.nodes.join(", "))}` : ""}${s.attempts > 1 ? `, ${s.attempts} attempts` : ""}${scripts}</summary>`;
    return `<details class="step" id="step-${escapeXml(s.id)}"${failed ? " open" : ""}>${summary}${body === "" ? "<p>No output.</p>" : `<pre>${escapeXml(body)}</pre>`}</details>`;
  });
  return rows.join("\n");
}

/** The whole page for one run. */
export function timelineHtml(run: RunRecord, events: TimelineEvent[]): string {
  const model = timelineModel(events);
  const evidence = loggedEvidence(run.evidence, run);
  const focus = focusWindow(model, evidence);
  const observeStartedAt = observationStart(run);
  const checks = run.checks
    .map(
      (c) =>
        `<tr class="${c.held ? "held" : "not-held"}"><td>${c.held ? "held" : "did not hold"}</td><td>${escapeXml(c.name)}</td><td>${escapeXml(c.reason)}</td></tr>`,
    )
    .join("");
  const legend = Object.entries(phaseColors)
    .map(([p, c]) => `<span><i style="background:${c}"></i>${p}</span>`)
    .concat([
      `<span><i style="background:#e63946"></i>failed</span>`,
      `<span><i style="border:2px dashed #b5651d;width:9px;height:9px"></i>failure as evidence</span>`,
      `<span><i style="background:#d35400"></i>E<i>n</i>: evidence line logged then</span>`,
      `<span><i style="background:#6c757d;height:5px"></i>disk and image</span>`,
      `<span><i style="background:#1d3557;height:5px"></i>boot to SSH</span>`,
    ])
    .join("");
  const numbered = new Map(evidence.map((e, i) => [e.index, i + 1]));
  const evidenceLines = (
    observeStartedAt === null ? run.evidence : withLoggedTimes(run.evidence, run, observeStartedAt)
  ).map((l, i) => (numbered.has(i) ? `E${numbered.get(i)} ${l}` : l));
  const upstream = run.links.filter((l) => /^https?:\/\//.test(l));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeXml(`${run.cellId}: ${run.verdict}`)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<style>${style}</style></head>
<body>
<h1>${escapeXml(run.cellId)} <span class="verdict ${run.pass ? "pass" : "fail"}" id="verdict">${escapeXml(run.verdict)}</span> <span class="headline">${escapeXml(verdictHeadline(run.expect, run.verdict))}</span></h1>
<p>Expected <b>${escapeXml(run.expect)}</b>. ${escapeXml(run.reason)}. Run ${escapeXml(run.runId)}, ${escapeXml(formatDuration(run.durationMs))}, provider ${escapeXml(run.provider)}, harness ${escapeXml(run.harnessVersion)}.</p>
<p class="files">Files: <a href="summary.md">summary.md</a> · <a href="run.json">run.json</a> · <a href="events.ndjson">events.ndjson</a> · <a href="logs/">logs/</a>${upstream.length > 0 ? `<br>Upstream: ${upstream.map((l) => `<a href="${escapeXml(l)}" rel="noreferrer">${escapeXml(l)}</a>`).join(" · ")}` : ""}</p>
${problemList(run)}
${checks ? `<table><tr><th>Result</th><th>Check</th><th>Why</th></tr>${checks}</table>` : ""}
${run.evidence.length > 0 ? `<details open id="evidence"><summary>Evidence (${run.evidence.length} lines)</summary><pre>${escapeXml(evidenceLines.join("\n"))}</pre></details>` : ""}
<p class="legend">${legend}</p>
${focus === null ? "" : `<h2>Where it happens: ${escapeXml(formatDuration(focus.start - model.start))} to ${escapeXml(formatDuration(focus.end - model.start))}</h2>\n${chart(model, focus, evidence, "focus")}\n<h2>The whole run</h2>`}
${chart(model, { start: model.start, end: model.end }, evidence, "timeline")}
<h2>Steps</h2>
${stepList(run, stepOutputs(events))}
<div id="tip"></div>
<script>${script}</script>
</body></html>
`;
}
