// timeline.html: a self-contained page (inline SVG, CSS and a few lines of script, no network) showing the run.
import { runEvidence } from "./evidence-times.ts";
import { formatDuration } from "../plan/duration.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import type { RunRecord } from "./run-record.ts";
import { timelineModel, type Marker, type Span, type TimelineModel } from "./timeline-model.ts";
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

function scale(model: TimelineModel): (at: number) => number {
  const span = Math.max(1, model.end - model.start);
  return (at) => labelWidth + ((at - model.start) / span) * plotWidth;
}

function axis(model: TimelineModel, x: (at: number) => number): string {
  const total = Math.max(1, model.end - model.start);
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].map((s) => s * 1000);
  const tick = steps.find((s) => total / s <= 12) ?? 3_600_000;
  const parts: string[] = [];
  for (let t = 0; t <= total; t += tick) {
    const px = x(model.start + t).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${axisHeight - 6}" y2="100%" class="grid"/>`,
      `<text x="${px}" y="${axisHeight - 10}" class="tick">${escapeXml(formatDuration(t))}</text>`,
    );
  }
  return parts.join("");
}

function spanRect(s: Span, y: number, x: (at: number) => number): string {
  const x0 = x(s.start);
  const w = Math.max(2, x(s.end) - x0);
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

/** A sample's value as a number when it is one (command probes report numbers as text). */
function numericValue(v: number | string | boolean | null): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

function seriesRow(series: TimelineModel["series"][number], y: number, x: (at: number) => number): string {
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
svg{border:1px solid #ddd;background:#fafafa}
.lane-label{font-size:12px;fill:#222}.tick{font-size:11px;fill:#555;text-anchor:middle}
.grid{stroke:#e3e3e3}.baseline{stroke:#ccc}.lane-sep{stroke:#ddd}
.span-label{font-size:11px;fill:#111;pointer-events:none}.value-label{font-size:10px;fill:#333}
.range{font-size:10px;fill:#777;text-anchor:end}
.span.failed rect{filter:drop-shadow(0 0 2px #e63946)}
#tip{position:fixed;display:none;max-width:560px;white-space:pre-wrap;background:#222;color:#fff;font:12px/1.35 ui-monospace,monospace;padding:6px 8px;border-radius:4px;pointer-events:none;z-index:10}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px;border-radius:2px}
pre{background:#f4f4f4;padding:8px;overflow:auto}
`;

const script = `
const tip=document.getElementById("tip");
document.querySelectorAll("[data-detail]").forEach(el=>{
  el.addEventListener("mousemove",e=>{tip.textContent=el.getAttribute("data-detail");tip.style.display="block";
    tip.style.left=Math.min(e.clientX+12,innerWidth-580)+"px";tip.style.top=(e.clientY+12)+"px";});
  el.addEventListener("mouseleave",()=>{tip.style.display="none";});
});
`;

/** The whole page for one run. */
export function timelineHtml(run: RunRecord, events: TimelineEvent[]): string {
  const model = timelineModel(events);
  const x = scale(model);
  const parts: string[] = [axis(model, x)];
  let y = axisHeight;
  for (const lane of model.lanes) {
    parts.push(
      `<g class="lane" data-lane="${escapeXml(lane)}"><text x="8" y="${y + 19}" class="lane-label">${escapeXml(lane)}</text>`,
      ...(model.spans.get(lane) ?? []).map((s) => spanRect(s, y, x)),
      ...model.markers.filter((m) => m.lane === lane).map((m) => markerMark(m, y, x)),
      `<line x1="0" x2="${width}" y1="${y + laneHeight}" y2="${y + laneHeight}" class="lane-sep"/></g>`,
    );
    y += laneHeight;
  }
  for (const series of model.series) {
    parts.push(seriesRow(series, y, x));
    y += seriesHeight;
  }
  const height = y + 8;
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
    ])
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(`${run.cellId}: ${run.verdict}`)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<style>${style}</style></head>
<body>
<h1>${escapeXml(run.cellId)} <span class="verdict ${run.pass ? "pass" : "fail"}" id="verdict">${escapeXml(run.verdict)}</span></h1>
<p>Expected <b>${escapeXml(run.expect)}</b>. ${escapeXml(run.reason)}. Run ${escapeXml(run.runId)}, ${escapeXml(formatDuration(run.durationMs))}, provider ${escapeXml(run.provider)}, harness ${escapeXml(run.harnessVersion)}.</p>
${checks ? `<table><tr><th>Result</th><th>Check</th><th>Why</th></tr>${checks}</table>` : ""}
${run.evidence.length > 0 ? `<details><summary>Evidence (${run.evidence.length} lines)</summary><pre>${escapeXml(runEvidence(run).join("\n"))}</pre></details>` : ""}
<p class="legend">${legend}</p>
<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>
<div id="tip"></div>
<script>${script}</script>
</body></html>
`;
}
