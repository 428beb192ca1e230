// Builds the issue comment `attach` posts: verdict, environment, evidence, steps, how to reproduce, versions, gantt,
// then collapsed logs (the scripts in run order first) within a target well under GitHub's limit.
import { failureCause } from "../reports/failure-cause.ts";
import type { RunRecord } from "../reports/run-record.ts";
import { verdictHeadline } from "../reports/verdict-words.ts";
import { failedOutcomes } from "../timeline/events.ts";
import { attachMarker } from "./comment-marker.ts";
import { excerptMarginMs, kernelExcerpts } from "./evidence-excerpt.ts";
import { fitSections, githubCommentLimit, type CollapsibleSection } from "./comment-limit.ts";
import { codeBlock, formatBytes, formatDuration, inlineCode, table } from "./markdown.ts";
import { redactSecrets } from "../secrets/redact.ts";
import type { RunBundle } from "./run-bundle.ts";

/** How the comment is built. */
export interface CommentBodyOptions {
  /** Link to the secret gist holding the full logs and timeline.html. */
  gistUrl?: string;
  /** Character limit of the body (GitHub's by default); the body aims at `attachBodyTarget` below it. */
  limit?: number;
  /** Exact secrets to redact besides the token-shaped ones (the token in use). */
  secrets?: readonly string[];
}

/**
 * What the body aims at: well under GitHub's limit, so an issue thread with a few attached runs stays readable;
 * the collapsed logs take what the sections above leave of it, and the gist or the run directory has the rest.
 */
export const attachBodyTarget = 40_000;

/** At most this many evidence lines appear outside the collapsed sections. */
const maxEvidenceLines = 40;
/** Evidence lines are cut to this many characters. */
const maxEvidenceLineChars = 400;

function headline(record: RunRecord): string {
  const icon = record.pass ? "✅" : record.complete ? "❌" : "⚠️";
  return `### ${icon} ${inlineCode(record.cellId)}: ${verdictHeadline(record.expect, record.verdict)}`;
}

function overview(record: RunRecord): string {
  const started = new Date(record.startedAt).toISOString().replace(/\.\d+Z$/, "Z");
  const lines = [
    `**Scenario** ${inlineCode(record.scenario)} (${inlineCode(record.file)})${record.description ? `: ${record.description.trim()}` : ""}`,
    `**Verdict** ${record.verdict} · **expected** ${record.expect} · **pass** ${record.pass ? "yes" : "no"}${record.complete ? "" : " · **run incomplete**"}`,
    `**Why** ${record.reason}`,
    `Run ${inlineCode(record.runId)}${record.repetition > 1 ? ` (repetition ${record.repetition})` : ""} · provider ${record.provider} · harness ${record.harnessVersion} · started ${started} · took ${formatDuration(record.durationMs)}`,
  ];
  if (record.links.length > 0) lines.push(`**Links** ${record.links.join(" · ")}`);
  return lines.join("  \n");
}

function environment(record: RunRecord): string {
  const nodes = Object.keys(record.nodes).sort();
  const keys = [...new Set(nodes.flatMap((n) => Object.keys(record.nodes[n]?.facts ?? {})))].sort();
  const parts = ["#### Environment"];
  if (nodes.length > 0 && keys.length > 0) {
    parts.push(
      table(
        ["fact", ...nodes],
        keys.map((k) => [k, ...nodes.map((n) => record.nodes[n]?.facts[k] ?? "")]),
      ),
    );
  } else {
    parts.push("_No node reported a fingerprint._");
  }
  if (record.machines.length > 0)
    parts.push(
      `Machines: ${record.machines.map((m) => `${m.name} (${m.role}, ${m.cpus} CPU, ${m.memoryMiB} MiB)`).join(", ")}`,
    );
  if (record.artifacts.length > 0)
    parts.push(
      `Pinned artifacts: ${record.artifacts.map((a) => `${a.key} ${a.resolvedVersion} (sha256 ${a.sha256.slice(0, 12)})`).join(", ")}`,
    );
  if (record.versionMismatches.length > 0)
    parts.push(`**Version mismatches:**\n${record.versionMismatches.map((m) => `- ${m}`).join("\n")}`);
  return parts.join("\n\n");
}

function evidence(record: RunRecord, clean: (text: string) => string): string {
  // Redacted before any line is cut: a token cut in half no longer looks like one.
  const lines = (record.evidence.length > 0 ? record.evidence : record.checks.flatMap((c) => c.evidence)).map(
    clean,
  );
  const checks =
    record.checks.length === 0
      ? ""
      : `\n\n${table(
          ["check", "probe", "held", "why"],
          record.checks.map((c) => [c.name, c.probe, c.held ? "yes" : "no", c.reason]),
        )}`;
  if (lines.length === 0) return `#### Key evidence\n\n_No evidence lines were recorded._${checks}`;
  const shown = lines
    .slice(0, maxEvidenceLines)
    .map((l) => (l.length > maxEvidenceLineChars ? `${l.slice(0, maxEvidenceLineChars)} [...]` : l));
  const more =
    lines.length > shown.length ? `\n\n_${lines.length - shown.length} more lines in run.json._` : "";
  return `#### Key evidence\n\n${codeBlock(shown.join("\n"))}${more}${checks}`;
}

function steps(record: RunRecord, clean: (text: string) => string): string {
  if (record.steps.length === 0) return "#### Steps\n\n_No step ran._";
  const rows = record.steps.map((s, i) => {
    const failed = failedOutcomes.has(s.outcome);
    const message = s.message === undefined ? "" : failureCause(clean(s.message)).slice(0, 200);
    return [
      String(i + 1),
      s.name,
      s.phase,
      s.nodes.join(", "),
      failed ? `**${s.outcome}**` : s.outcome,
      formatDuration(s.durationMs),
      String(s.attempts),
      message,
    ];
  });
  return `#### Steps\n\n${table(["#", "step", "phase", "nodes", "outcome", "took", "tries", "message"], rows)}`;
}

function sections(bundle: RunBundle): CollapsibleSection[] {
  const list: CollapsibleSection[] = kernelExcerpts(bundle).map((x) => ({
    title: `kernel log of ${x.node}, ${excerptMarginMs / 1000} s either side of the evidence (${x.lines.length} lines)`,
    text: x.lines.join("\n"),
    format: "text",
    keep: "head",
  }));
  for (const log of bundle.logs)
    list.push({
      title: `${log.path} (${formatBytes(log.size)})`,
      text: log.text,
      format: "text",
      keep: "tail",
      alreadyCut: log.truncated ? log.size - Buffer.byteLength(log.text) : 0,
    });
  return list;
}

function footer(bundle: RunBundle, gistUrl: string | undefined, cuts: string[]): string {
  const where = gistUrl
    ? `the [secret gist](${gistUrl}) (logs and timeline.html)`
    : `the run directory ${inlineCode(bundle.record.runId)} (run.json, events.ndjson, logs/${bundle.timelineHtml ? ", timeline.html" : ""}) or the workflow's artifact`;
  const lines: string[] = [];
  if (cuts.length > 0) {
    const listed = cuts.slice(0, 12).join("; ");
    const more = cuts.length > 12 ? `; and ${cuts.length - 12} more` : "";
    lines.push(
      `> ✂️ Trimmed to keep the comment near ${attachBodyTarget.toLocaleString("en-US")} characters (GitHub allows ${githubCommentLimit.toLocaleString("en-US")}): ${listed}${more}. The full files are in ${where}.`,
    );
  } else {
    lines.push(`Full files: ${where}.`);
  }
  lines.push(
    `<sub>Posted by k8s-node-harness \`attach\`; secrets matching token patterns are redacted.</sub>`,
  );
  return lines.join("\n\n");
}

/** Room kept for the footer, which lists what was cut. */
const footerReserve = 2_000;

/** The comment for one run, redacted and within the limit (GitHub's 65,536 characters by default). */
export function buildCommentBody(bundle: RunBundle, options: CommentBodyOptions = {}): string {
  const limit = options.limit ?? githubCommentLimit;
  const clean = (text: string) => redactSecrets(text, options.secrets ?? []);
  const record = bundle.record;
  const head = clean(
    [
      attachMarker(record.cellId),
      headline(record),
      overview(record),
      environment(record),
      evidence(record, clean),
      steps(record, clean),
      bundle.reproduce === undefined ? "" : `#### Steps to reproduce\n\n${bundle.reproduce}`,
      bundle.versions === undefined ? "" : `#### Versions\n\n${bundle.versions}`,
      bundle.gantt === undefined ? "" : `#### Timeline\n\n${codeBlock(bundle.gantt, "mermaid")}`,
    ]
      .filter((p) => p !== "")
      .join("\n\n"),
  );
  const cleaned = sections(bundle).map((s) => ({ ...s, text: clean(s.text), title: clean(s.title) }));
  const budget = Math.min(limit, attachBodyTarget) - head.length - footerReserve - 4;
  const fitted =
    budget > 0
      ? fitSections(cleaned, budget)
      : { rendered: [], cuts: cleaned.map((s) => `${s.title} left out`) };
  const tail = clean(footer(bundle, options.gistUrl, fitted.cuts));
  const body = [head, ...fitted.rendered, tail].join("\n\n");
  return body.length <= limit ? body : `${body.slice(0, limit - 80)}\n\n> ✂️ Cut at GitHub's comment limit.`;
}
