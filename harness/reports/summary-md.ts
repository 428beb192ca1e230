// summary.md: the verdict and why, the checks, each node's fingerprint, the steps with durations, a gantt chart.
import { formatDuration } from "../plan/duration.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import { failedOutcomes } from "../timeline/events.ts";
import { observationStart, runEvidence } from "./evidence-times.ts";
import { mermaidGantt } from "./mermaid-gantt.ts";
import type { RunRecord } from "./run-record.ts";
import { timelineModel } from "./timeline-model.ts";

/** Text safe in a Markdown table cell. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>").replace(/`/g, "'");
}

/** A fenced block whose fence cannot be closed by the content. */
function fenced(lang: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.map(mdCell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ].join("\n");
}

function environment(run: RunRecord): string {
  const nodes = Object.keys(run.nodes);
  if (nodes.length === 0)
    return "No node fingerprint was recorded: no machine was reached, or the provider (local-dir) has no guest to read.";
  const facts = [...new Set(nodes.flatMap((n) => Object.keys(run.nodes[n]?.facts ?? {})))].sort();
  const rows = [
    [
      "clock offset (guest - host)",
      ...nodes.map((n) => {
        const o = run.nodes[n]?.clockOffsetMs;
        return o === null || o === undefined ? "unknown" : `${o} ms`;
      }),
    ],
    ...facts.map((f) => [f, ...nodes.map((n) => run.nodes[n]?.facts[f] ?? "")]),
  ];
  return table(["", ...nodes], rows);
}

/** The summary of one run, from its record and events. */
export function summaryMarkdown(run: RunRecord, events: TimelineEvent[]): string {
  const status = run.pass ? "PASS" : "FAIL";
  const parts: string[] = [
    `# ${run.cellId}: ${run.verdict} (${status})`,
    "",
    `Expected **${run.expect}**, got **${run.verdict}**${run.complete ? "" : " (the run did not finish)"}. ${run.reason}.`,
    "",
    table(
      ["Run", "Scenario file", "Provider", "Harness", "Started", "Duration"],
      [
        [
          run.runId,
          run.file,
          run.provider,
          run.harnessVersion,
          new Date(run.startedAt).toISOString(),
          formatDuration(run.durationMs),
        ],
      ],
    ),
  ];
  if (run.evidence.length > 0) {
    const observeStartedAt = observationStart(run);
    parts.push("", "## Evidence", "");
    if (observeStartedAt !== null)
      parts.push(
        `\`[node +t]\` is when a sample was taken, counted from the start of observation (${new Date(observeStartedAt).toISOString()}); \`<- logged +t, during <step>\` is when the guest logged the quoted line, on the host clock (the node's clock offset, under Environment, taken out).`,
        "",
      );
    parts.push(fenced("text", runEvidence(run).join("\n")));
  }
  if (run.checks.length > 0)
    parts.push(
      "",
      "## Checks",
      "",
      table(
        ["Check", "Probe", "Held", "Why"],
        run.checks.map((c) => [c.name, c.probe, c.held ? "yes" : "no", c.reason]),
      ),
    );
  parts.push("", "## Environment", "", environment(run));
  if (run.versionMismatches.length > 0)
    parts.push(
      "",
      "Versions that differ from the pinned ones:",
      "",
      ...run.versionMismatches.map((l) => `- ${mdCell(l)}`),
    );
  if (run.artifacts.length > 0)
    parts.push(
      "",
      "Pinned artifacts:",
      "",
      table(
        ["Artifact", "Version", "sha256"],
        run.artifacts.map((a) => [a.key, a.resolvedVersion, a.sha256.slice(0, 16)]),
      ),
    );
  parts.push(
    "",
    "## Steps",
    "",
    table(
      ["Phase", "Step", "Nodes", "Outcome", "Duration", "Attempts"],
      run.steps.map((s) => [
        s.phase,
        s.id,
        s.nodes.join(", "),
        s.outcome,
        s.startedAt === null ? "" : formatDuration(s.durationMs),
        String(s.attempts),
      ]),
    ),
  );
  const failures = run.steps.filter((s) => failedOutcomes.has(s.outcome) && s.message);
  for (const s of failures) parts.push("", `### ${s.id}: ${s.outcome}`, "", fenced("text", s.message ?? ""));
  const model = timelineModel(events);
  if (model.lanes.some((l) => (model.spans.get(l) ?? []).length > 0))
    parts.push("", "## Timeline", "", fenced("mermaid", mermaidGantt(model, run.cellId)));
  const kept = run.machines.filter((m) => m.kept);
  if (kept.length > 0)
    parts.push(
      "",
      "## Kept machines",
      "",
      ...kept.map((m) => `- ${m.name}: \`${m.sshCommand ?? m.providerId ?? ""}\``),
    );
  return `${parts.join("\n")}\n`;
}
