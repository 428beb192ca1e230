// junit.xml: one testsuite per run (cell), its verdict as the first testcase, then one per step and per check,
// with the cell id in every classname and name so CI views never merge two cells, and totals on <testsuites>.
import type { RunRecord, StepRecord } from "./run-record.ts";
import { escapeXml } from "./xml-escape.ts";
import { failedOutcomes } from "../timeline/events.ts";
import { failureCause } from "./failure-cause.ts";
import { verdictHeadline } from "./verdict-words.ts";

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** A suite's counts, summed into <testsuites>. */
interface Totals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs: number;
}

/** Verdicts that say the run could not decide: reported as <error>, not <failure>. */
const undecided = new Set(["error", "infra-failure", "aborted"]);

function testcase(run: RunRecord, group: string, name: string, timeMs: number, body: string): string {
  const head = `    <testcase classname="${escapeXml(`${run.cellId}.${group}`)}" name="${escapeXml(`${run.cellId}: ${name}`)}" time="${seconds(timeMs)}"`;
  return body === "" ? `${head}></testcase>` : `${head}>\n      ${body}\n    </testcase>`;
}

function verdictCase(run: RunRecord): string {
  const headline = verdictHeadline(run.expect, run.verdict);
  const name = `verdict ${run.verdict} (expected ${run.expect})`;
  if (run.pass)
    return testcase(
      run,
      "verdict",
      name,
      run.durationMs,
      `<system-out>${escapeXml(`${headline}: ${run.reason}`)}</system-out>`,
    );
  const tag = undecided.has(run.verdict) ? "error" : "failure";
  return testcase(
    run,
    "verdict",
    name,
    run.durationMs,
    `<${tag} message="${escapeXml(`${headline}: ${failureCause(run.reason)}`)}" type="verdict-${run.verdict}">${escapeXml(run.reason)}</${tag}>`,
  );
}

function stepCase(run: RunRecord, step: StepRecord): string {
  const name = `${step.id}${step.nodes.length > 0 ? ` on ${step.nodes.join(", ")}` : ""}`;
  const t = step.durationMs;
  if (step.outcome === "skipped")
    return testcase(
      run,
      step.phase,
      name,
      t,
      `<skipped message="not run: an earlier step failed or the run was interrupted"/>`,
    );
  if (step.outcome === "aborted")
    return testcase(run, step.phase, name, t, `<skipped message="interrupted"/>`);
  if (failedOutcomes.has(step.outcome)) {
    const message = step.message ?? step.outcome;
    const tag = step.outcome === "infra-failure" ? "error" : "failure";
    return testcase(
      run,
      step.phase,
      name,
      t,
      `<${tag} message="${escapeXml(`${step.outcome}: ${failureCause(message) || step.outcome}`)}" type="${step.outcome}">${escapeXml(message)}</${tag}>`,
    );
  }
  return testcase(
    run,
    step.phase,
    name,
    t,
    step.message ? `<system-out>${escapeXml(`${step.outcome}\n${step.message}`)}</system-out>` : "",
  );
}

function checkCase(run: RunRecord, c: RunRecord["checks"][number]): string {
  const evidence = c.evidence.length > 0 ? `\n${c.evidence.join("\n")}` : "";
  return c.held
    ? testcase(run, "checks", c.name, 0, `<system-out>${escapeXml(`${c.reason}${evidence}`)}</system-out>`)
    : testcase(
        run,
        "checks",
        c.name,
        0,
        `<failure message="${escapeXml(`${c.name}: ${c.reason}`)}" type="check">${escapeXml(`probe ${c.probe}: ${c.reason}${evidence}`)}</failure>`,
      );
}

function suiteTotals(run: RunRecord): Totals {
  const verdictFailed = !run.pass;
  return {
    tests: 1 + run.steps.length + run.checks.length,
    failures:
      (verdictFailed && !undecided.has(run.verdict) ? 1 : 0) +
      run.steps.filter((s) => failedOutcomes.has(s.outcome) && s.outcome !== "infra-failure").length +
      run.checks.filter((c) => !c.held).length,
    errors:
      (verdictFailed && undecided.has(run.verdict) ? 1 : 0) +
      run.steps.filter((s) => s.outcome === "infra-failure").length,
    skipped: run.steps.filter((s) => s.outcome === "skipped" || s.outcome === "aborted").length,
    timeMs: run.durationMs,
  };
}

/** One run as a <testsuite>. */
export function junitSuite(run: RunRecord): string {
  const cases = [
    verdictCase(run),
    ...run.steps.map((s) => stepCase(run, s)),
    ...run.checks.map((c) => checkCase(run, c)),
  ];
  const t = suiteTotals(run);
  return [
    `  <testsuite name="${escapeXml(run.cellId)}" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${seconds(t.timeMs)}" timestamp="${new Date(run.startedAt).toISOString()}">`,
    "    <properties>",
    ...[
      ["run-id", run.runId],
      ["scenario", run.scenario],
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

/** A whole junit.xml for one or more runs, with their totals. */
export function junitXml(runs: RunRecord[]): string {
  const sum = runs.map(suiteTotals).reduce<Totals>(
    (a, t) => ({
      tests: a.tests + t.tests,
      failures: a.failures + t.failures,
      errors: a.errors + t.errors,
      skipped: a.skipped + t.skipped,
      timeMs: a.timeMs + t.timeMs,
    }),
    { tests: 0, failures: 0, errors: 0, skipped: 0, timeMs: 0 },
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="harness" tests="${sum.tests}" failures="${sum.failures}" errors="${sum.errors}" skipped="${sum.skipped}" time="${seconds(sum.timeMs)}">\n${runs.map(junitSuite).join("\n")}\n</testsuites>\n`;
}
