// junit.xml: one testsuite per run, one testcase per step and per check, with the real failure messages.
import type { RunRecord, StepRecord } from "./run-record.ts";
import { escapeXml } from "./xml-escape.ts";
import { failedOutcomes } from "../timeline/events.ts";

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function stepCase(run: RunRecord, step: StepRecord): string {
  const head = `    <testcase classname="${escapeXml(`${run.scenario}.${step.phase}`)}" name="${escapeXml(`${step.id}${step.nodes.length > 0 ? ` on ${step.nodes.join(", ")}` : ""}`)}" time="${seconds(step.durationMs)}"`;
  if (step.outcome === "skipped")
    return `${head}>\n      <skipped message="not run: an earlier step failed or the run was interrupted"/>\n    </testcase>`;
  if (step.outcome === "aborted") return `${head}>\n      <skipped message="interrupted"/>\n    </testcase>`;
  if (failedOutcomes.has(step.outcome)) {
    const message = step.message ?? step.outcome;
    const firstLine = message.split("\n").find((l) => l.trim() !== "") ?? step.outcome;
    const tag = step.outcome === "infra-failure" ? "error" : "failure";
    return `${head}>\n      <${tag} message="${escapeXml(`${step.outcome}: ${firstLine.trim()}`)}" type="${step.outcome}">${escapeXml(message)}</${tag}>\n    </testcase>`;
  }
  const out = step.message
    ? `\n      <system-out>${escapeXml(`${step.outcome}\n${step.message}`)}</system-out>\n    `
    : "";
  return `${head}>${out}</testcase>`;
}

function checkCases(run: RunRecord): string[] {
  return run.checks.map((c) => {
    const head = `    <testcase classname="${escapeXml(`${run.scenario}.checks`)}" name="${escapeXml(c.name)}" time="0.000"`;
    const evidence = c.evidence.length > 0 ? `\n${c.evidence.join("\n")}` : "";
    return c.held
      ? `${head}>\n      <system-out>${escapeXml(`${c.reason}${evidence}`)}</system-out>\n    </testcase>`
      : `${head}>\n      <failure message="${escapeXml(`${c.name}: ${c.reason}`)}" type="check">${escapeXml(`probe ${c.probe}: ${c.reason}${evidence}`)}</failure>\n    </testcase>`;
  });
}

/** One run as a <testsuite>. */
export function junitSuite(run: RunRecord): string {
  const cases = [...run.steps.map((s) => stepCase(run, s)), ...checkCases(run)];
  const failures =
    run.steps.filter((s) => failedOutcomes.has(s.outcome) && s.outcome !== "infra-failure").length +
    run.checks.filter((c) => !c.held).length;
  const errors = run.steps.filter((s) => s.outcome === "infra-failure").length;
  const skipped = run.steps.filter((s) => s.outcome === "skipped" || s.outcome === "aborted").length;
  const name = run.cellId === run.scenario ? run.scenario : run.cellId;
  return [
    `  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(run.durationMs)}" timestamp="${new Date(run.startedAt).toISOString()}">`,
    "    <properties>",
    ...[
      ["run-id", run.runId],
      ["verdict", run.verdict],
      ["expect", run.expect],
      ["pass", String(run.pass)],
      ["reason", run.reason],
      ["provider", run.provider],
      ["harness-version", run.harnessVersion],
    ].map(([k, v]) => `      <property name="${k}" value="${escapeXml(v ?? "")}"/>`),
    "    </properties>",
    ...cases,
    "  </testsuite>",
  ].join("\n");
}

/** A whole junit.xml for one or more runs. */
export function junitXml(runs: RunRecord[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="harness">\n${runs.map(junitSuite).join("\n")}\n</testsuites>\n`;
}
