// attach reading a run directory that the results writers produced from a recorded run (not a hand-made fixture).
import { cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, sampleRunRecord, tempDir, writeRunDir } from "./testing/run-dir-fixture.ts";
import { mermaidGantt } from "../reports/mermaid-gantt.ts";
import { readRunRecord, type StepRecord } from "../reports/run-record.ts";
import { timelineModel } from "../reports/timeline-model.ts";
import { verdictHeadline } from "../reports/verdict-words.ts";
import { writeReports } from "../reports/write-reports.ts";
import { readEvents } from "../timeline/read-events.ts";
import { buildCommentBody } from "./comment-body.ts";
import { gistFiles } from "./gist.ts";
import { extractGantt, extractSection, maxLogBytes, plainLogText, readRunBundle } from "./run-bundle.ts";

const recorded = path.join(import.meta.dirname, "..", "reports", "fixtures");

async function renderedRunDir(name: string): Promise<string> {
  const dir = await tempDir("harness-attach-");
  await cp(path.join(recorded, name), dir, { recursive: true });
  await writeReports(dir);
  await mkdir(path.join(dir, "logs", "node1"), { recursive: true });
  await writeFile(path.join(dir, "logs", "node1", "journal.log"), "node1 containerd: started\n");
  return dir;
}

describe.each(["recorded-apparmor-like", "recorded-step-timeout"])(
  "a rendered run directory (%s, recorded local-dir run)",
  (name) => {
    it("gives the comment the gantt summary.md carries, the verdict, and the logs", async () => {
      const dir = await renderedRunDir(name);
      const bundle = await readRunBundle(dir);
      const record = await readRunRecord(dir);
      expect(bundle.gantt).toBe(
        mermaidGantt(timelineModel(await readEvents(path.join(dir, "events.ndjson"))), record.cellId),
      );
      expect(bundle.timelineHtml).toBe(path.join(dir, "timeline.html"));
      expect(bundle.logs.map((l) => l.path)).toEqual(["logs/node1/journal.log"]);
      const body = buildCommentBody(bundle);
      expect(body).toContain(`\`${record.cellId}\`: ${verdictHeadline(record.expect, record.verdict)}`);
      expect(body).toContain(`#### Steps to reproduce\n\n${bundle.reproduce ?? "no section"}`);
      expect(body).toContain(`#### Timeline\n\n\`\`\`mermaid\n${bundle.gantt ?? "no gantt"}\n\`\`\``);
      for (const step of record.steps) expect(body).toContain(`| ${step.name.replace(/\|/g, "\\|")} |`);
      const { files } = await gistFiles(bundle, []);
      expect(Object.keys(files).sort()).toEqual([
        "logs__node1__journal.log",
        "run.json",
        "summary.md",
        "timeline.html",
      ]);
    });
  },
);

const step = sampleRunRecord().steps[1] as StepRecord;

describe("readRunBundle", () => {
  it("puts the saved scripts first, in the order their steps ran, then the other logs by path", async () => {
    const record = sampleRunRecord({
      steps: [
        { ...step, id: "workload/start", name: "start", phase: "workload", script: "workload--start.sh" },
        { ...step, id: "workload/kill", name: "kill", phase: "workload", script: "workload--kill.sh" },
      ],
    });
    const dir = await writeRunDir({
      record,
      logs: {
        "node1/dmesg.log": "kernel\n",
        "node1/scripts/workload--kill.sh": "ctr task kill\n",
        "node1/scripts/workload--start.sh": "ctr run\n",
      },
    });
    expect((await readRunBundle(dir)).logs.map((l) => l.path)).toEqual([
      "logs/node1/scripts/workload--start.sh",
      "logs/node1/scripts/workload--kill.sh",
      "logs/node1/dmesg.log",
    ]);
  });

  it("takes the serial console's colours and cursor moves out of its text", () => {
    const serial =
      "\u001b[0;32m  OK  \u001b[0m] Started \u001b[0;1;39mssh.service\u001b[0m.\r\n\u001b[?25l\u001bcDebian login: \u0007\n";
    expect(plainLogText(serial)).toBe("  OK  ] Started ssh.service.\nDebian login: \n");
  });

  it("reads a section of summary.md without its heading, up to the next one", () => {
    const md = "# x\n\n## Steps to reproduce\n\nrun it\n\n## Versions\n\n```text\nv1\n```\n";
    expect(extractSection(md, "Steps to reproduce")).toBe("run it");
    expect(extractSection(md, "Versions")).toBe("```text\nv1\n```");
    expect(extractSection(md, "Environment")).toBeUndefined();
  });

  it("reads only the tail of a log larger than the cap, and skips binary files", async () => {
    const dir = await renderedRunDir("recorded-step-timeout");
    const big = `${"early line\n".repeat(maxLogBytes / 10)}the last line\n`;
    await writeFile(path.join(dir, "logs", "node1", "big.log"), big);
    await writeFile(path.join(dir, "logs", "node1", "core.bin"), Buffer.from([0x7f, 0x45, 0x00, 0x01]));
    const bundle = await readRunBundle(dir);
    const log = bundle.logs.find((l) => l.path === "logs/node1/big.log");
    expect(log?.truncated).toBe(true);
    expect(log?.size).toBe(Buffer.byteLength(big));
    expect(log?.text.length).toBeLessThanOrEqual(maxLogBytes);
    expect(log?.text.endsWith("the last line\n")).toBe(true);
    expect(log?.text.startsWith("early line\n")).toBe(true);
    expect(bundle.logs.map((l) => l.path)).not.toContain("logs/node1/core.bin");
  });

  it("says what to pass when the directory holds no run.json", async () => {
    const dir = await tempDir("harness-empty-");
    await expect(readRunBundle(dir)).rejects.toThrow(`${dir} holds no run.json`);
  });

  it("finds the gantt block among other fenced blocks", () => {
    const md = "```text\nx\n```\n\n````mermaid\ngantt\n  title t\n````\n";
    expect(extractGantt(md)).toBe("gantt\n  title t");
    expect(extractGantt("```mermaid\nflowchart LR\n```\n")).toBeUndefined();
  });
});

afterAll(removeTempDirs);
