import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEvents } from "../timeline/read-events.ts";
import { chromeTrace } from "./chrome-trace.ts";
import { failureCause } from "./failure-cause.ts";
import { junitXml } from "./junit.ts";
import { ganttLabel, mermaidGantt } from "./mermaid-gantt.ts";
import type { RunRecord } from "./run-record.ts";
import { summaryMarkdown } from "./summary-md.ts";
import { timelineHtml } from "./timeline-html.ts";
import { timelineModel } from "./timeline-model.ts";

const fixtures = [
  "recorded-apparmor-like",
  "recorded-step-timeout",
  "recorded-qemu-cgroup-driver-mismatch",
] as const;

function load(name: string) {
  const dir = path.join(import.meta.dirname, "fixtures", name);
  const record = JSON.parse(readFileSync(path.join(dir, "run.json"), "utf8")) as RunRecord;
  const events = parseEvents(readFileSync(path.join(dir, "events.ndjson"), "utf8"));
  return { record, events };
}

describe.each(fixtures)("reports of %s (recorded run: see fixtures/README.md)", (name) => {
  const { record, events } = load(name);

  it("junit.xml matches the snapshot", async () => {
    await expect(junitXml([record])).toMatchFileSnapshot(`__snapshots__/${name}.junit.xml`);
  });

  it("summary.md matches the snapshot", async () => {
    await expect(summaryMarkdown(record, events)).toMatchFileSnapshot(`__snapshots__/${name}.summary.md`);
  });

  it("trace.json matches the snapshot", async () => {
    const trace = chromeTrace(events, record.cellId);
    await expect(`${JSON.stringify(trace, null, 1)}\n`).toMatchFileSnapshot(
      `__snapshots__/${name}.trace.json`,
    );
  });

  it("junit has the verdict, one testcase per step and per check, and the cause as failure text", () => {
    const xml = junitXml([record]);
    expect(xml.match(/<testcase /g)?.length).toBe(1 + record.steps.length + record.checks.length);
    expect(xml).toContain(
      `classname="${record.cellId}.verdict" name="${record.cellId}: verdict ${record.verdict}`,
    );
    expect(xml).not.toMatch(/exit status \d+"/);
    for (const s of record.steps.filter((x) => x.outcome === "timed-out" || x.outcome === "failed"))
      expect(xml).toContain(`message="${s.outcome}: ${failureCause(s.message ?? "")}`);
  });

  it("junit's two cells of one scenario never share a classname and name", () => {
    const cell = (id: string): RunRecord => ({ ...record, cellId: id });
    const xml = junitXml([cell(`${record.scenario}/runc=a`), cell(`${record.scenario}/runc=b`)]);
    const pairs = [...xml.matchAll(/classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(xml).toMatch(
      new RegExp(
        `<testsuites name="harness" tests="${2 * (1 + record.steps.length + record.checks.length)}" `,
      ),
    );
  });

  it("every gantt task line has the syntax GitHub's Mermaid accepts", () => {
    const gantt = mermaidGantt(timelineModel(events), record.cellId);
    const lines = gantt.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "gantt",
      `  title ${record.cellId}`,
      "  dateFormat x",
      "  axisFormat %H.%M.%S",
    ]);
    for (const line of lines.slice(4)) {
      if (line.startsWith("  section ")) continue;
      const m = /^ {4}([^:#;]+) :(done|crit|active), (t\d+), (\d{13}), (\d{13})$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(Number(m![5])).toBeGreaterThan(Number(m![4]));
    }
  });

  it("trace events are well-formed: one named lane per machine, spans with durations", () => {
    const trace = chromeTrace(events, record.cellId);
    const names = trace.traceEvents.filter((e) => e.name === "thread_name").map((e) => e.args?.name);
    expect(names).toEqual(expect.arrayContaining(record.machines.map((m) => m.name)));
    for (const e of trace.traceEvents.filter((x) => x.ph === "X")) {
      expect(e.ts).toBeGreaterThanOrEqual(0);
      expect(e.dur).toBeGreaterThan(0);
    }
  });

  it("trace has a lane of phases, commands nested in their step's lane, named markers and a wall-clock anchor", () => {
    const trace = chromeTrace(events, record.cellId);
    const phases = trace.traceEvents.filter(
      (e) => e.cat === "phase" || (e.cat === "failed" && e.name.startsWith("phase ")),
    );
    expect(phases.map((e) => e.name)).toEqual(record.phases.map((p) => `phase ${p.name}`));
    const commands = trace.traceEvents.filter((e) => e.cat === "command");
    expect(commands.length).toBe(events.filter((e) => e.kind === "command").length);
    for (const c of commands) {
      const step = trace.traceEvents.find(
        (s) =>
          s.ph === "X" &&
          s.tid === c.tid &&
          s.cat !== "command" &&
          s.ts <= c.ts &&
          c.ts <= s.ts + (s.dur ?? 0),
      );
      expect(step, c.name).toBeDefined();
    }
    expect(trace.traceEvents.filter((e) => e.ph === "i").map((e) => e.name)).not.toContain("machine");
    expect(trace.otherData.startedAtMs).toBe(events[0]?.at);
    expect(new Date(trace.otherData.startedAt).getTime()).toBe(events[0]?.at);
  });

  it("timeline.html is self-contained: nothing is fetched, and links go to the run's own files or its upstream issues", () => {
    const run = {
      ...record,
      links: ["https://github.com/containerd/containerd/issues/10542", "javascript:alert(1)"],
    };
    const html = timelineHtml(run, events);
    expect(html).not.toMatch(/\bsrc=/);
    const hrefs = [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1] ?? "");
    for (const href of hrefs)
      expect(
        href === run.links[0] || /^(?:#step-|logs\/|summary\.md$|run\.json$|events\.ndjson$)/.test(href),
        href,
      ).toBe(true);
    expect(hrefs).toContain("https://github.com/containerd/containerd/issues/10542");
    expect(html).not.toContain("javascript:");
    expect(html).not.toMatch(/url\(|@import|<link\b|<iframe\b|<img\b/);
    expect(html).toContain("default-src 'none'");
  });
});

describe("ganttLabel", () => {
  it.each([
    ["workload/kill", "workload/kill"],
    ["step: with colon", "step with colon"],
    ["issue #10542", "issue 10542"],
    ["a;b", "a b"],
    ["two\nlines", "two lines"],
    [":#;", "step"],
  ])("%j -> %j", (input, output) => {
    expect(ganttLabel(input)).toBe(output);
  });
});

describe("timelineModel: a machine's creation stages (recorded QEMU run)", () => {
  it("splits create/machines into disk and image, then boot to SSH, inside the step", () => {
    const { events } = load("recorded-qemu-cgroup-driver-mismatch");
    const model = timelineModel(events);
    const stages = model.stages.get("cp1") ?? [];
    expect(stages.map((st) => st.name)).toEqual(["disk and image", "boot to SSH"]);
    const at = (state: string) => events.find((e) => e.kind === "machine" && e.state === state)?.at;
    expect(stages[0]?.start).toBe(at("creating"));
    expect(stages[0]?.end).toBe(at("booting"));
    expect(stages[1]?.end).toBe(at("ready"));
    const create = model.spans.get("cp1")?.find((sp) => sp.step === "create/machines");
    for (const st of stages) {
      expect(st.start).toBeGreaterThanOrEqual(create?.start ?? Infinity);
      expect(st.end).toBeLessThanOrEqual(create?.end ?? -Infinity);
    }
  });
});

describe("timelineModel on a cut-short run", () => {
  it("ends open steps at the latest event (a killed harness leaves no step-end)", () => {
    const { events } = load("recorded-apparmor-like");
    const cut = events.slice(
      0,
      events.findIndex((e) => e.kind === "step-end" && e.step === "workload/kill"),
    );
    const model = timelineModel(cut);
    const kill = model.spans.get("node1")?.find((s) => s.step === "workload/kill");
    expect(kill).toMatchObject({ outcome: "running", end: Math.max(...cut.map((e) => e.at)) });
  });
});
