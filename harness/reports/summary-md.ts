// summary.md as a bug report: the verdict in words, the evidence, the checks, steps to reproduce, versions, each
// node's fingerprint, the steps with durations, a gantt chart.
import { formatDuration } from "../plan/duration.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import { failedOutcomes } from "../timeline/events.ts";
import { observationStart, runEvidence } from "./evidence-times.ts";
import { mermaidGantt } from "./mermaid-gantt.ts";
import type { RunRecord } from "./run-record.ts";
import { timelineModel } from "./timeline-model.ts";
import { verdictHeadline } from "./verdict-words.ts";

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
  const facts = [...new Set(nodes.flatMap((n) => Object.keys(run.nodes[n]?.facts ?? {})))]
    .filter((f) => !isVersionCommand(f))
    .sort();
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

/** What the provider said of the accelerator, per machine or for all (`*`), the last word of each. */
function accelerators(events: TimelineEvent[]): string[] {
  const last = new Map<string, string>();
  for (const e of events)
    if (e.kind === "machine" && e.state === "accelerator" && e.detail !== undefined)
      last.set(e.machine, e.detail);
  return [...last].map(([machine, detail]) => (machine === "*" ? detail : `${machine}: ${detail}`));
}

/** The commit in a harness version like `0.1.0+9f87db1fca11`, when it has one. */
function harnessCommit(version: string): string | null {
  return /\+([0-9a-f]{7,40})$/.exec(version)?.[1] ?? null;
}

/** How to run the same cell again, and the scripts it ran, in run order, for doing it by hand. */
function stepsToReproduce(run: RunRecord, events: TimelineEvent[]): string[] {
  const commit = harnessCommit(run.harnessVersion);
  const descriptions = new Map<string, string>();
  for (const e of events) if (e.kind === "step-start") descriptions.set(e.step, e.description);
  const command = [
    `npm run scenario -- ${run.file}`,
    ...(run.cellId === run.scenario ? [] : [`--cell ${run.cellId}`]),
    ...(run.provider === "qemu" ? [] : [`--provider ${run.provider}`]),
  ].join(" ");
  const scripts = run.steps.filter((s) => s.script !== undefined && s.startedAt !== null);
  return [
    `With the harness${commit === null ? "" : ` at commit ${commit} (\`git checkout ${commit}\`)`}, on a host set up by \`bash scripts/setup-host.sh\`:`,
    "",
    fenced("sh", command),
    ...(scripts.length === 0
      ? []
      : [
          "",
          "By hand, on the machines the Environment section describes: the scripts the harness ran, in run order, each saved as `logs/<node>/scripts/<file>` (a step on several nodes ran on them in parallel):",
          "",
          ...scripts.map(
            (s, i) =>
              `${i + 1}. \`${s.id}\` on ${s.nodes.join(", ")}: \`${s.script}\`${s.outcome === "passed" ? "" : ` (${s.outcome})`}${descriptions.has(s.id) ? ` - ${mdCell(descriptions.get(s.id) ?? "")}` : ""}`,
          ),
        ]),
  ];
}

/** Each node's version commands and what they printed, as a maintainer asks for them. */
function versions(run: RunRecord): string | null {
  const blocks = Object.entries(run.nodes).flatMap(([node, fp]) => {
    const outputs = Object.entries(fp.facts).filter(([k]) => isVersionCommand(k));
    return outputs.length === 0 ? [] : [outputs.map(([cmd, out]) => `${node}$ ${cmd}\n${out}`).join("\n")];
  });
  return blocks.length === 0 ? null : fenced("text", blocks.join("\n\n"));
}

/** A fact that is a version command's output (`runc --version`, `kubeadm version -o short`). */
function isVersionCommand(fact: string): boolean {
  return fact.includes(" ");
}

/** The summary of one run, from its record and events. */
export function summaryMarkdown(run: RunRecord, events: TimelineEvent[]): string {
  const status = run.pass ? "PASS" : "FAIL";
  const accel = accelerators(events);
  const parts: string[] = [
    `# ${run.cellId}: ${verdictHeadline(run.expect, run.verdict)} (${status})`,
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
    ...(accel.length === 0 ? [] : ["", ...accel.map((a) => `Accelerator: ${mdCell(a)}`)]),
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
  parts.push("", "## Steps to reproduce", "", ...stepsToReproduce(run, events));
  const versionBlock = versions(run);
  if (versionBlock !== null) parts.push("", "## Versions", "", versionBlock);
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
