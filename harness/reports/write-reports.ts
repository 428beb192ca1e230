// Writes a run's reports (junit.xml, summary.md, timeline.html, trace.json) from its run.json and events.ndjson.
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { readEvents } from "../timeline/read-events.ts";
import { chromeTrace } from "./chrome-trace.ts";
import { junitXml } from "./junit.ts";
import { readRunRecord } from "./run-record.ts";
import { summaryMarkdown } from "./summary-md.ts";
import { timelineHtml } from "./timeline-html.ts";

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Renders every report of a run directory; reads only its files, so it works on old or copied runs. */
export async function writeReports(runDir: string): Promise<string[]> {
  const record = await readRunRecord(runDir);
  const events = await readEvents(path.join(runDir, "events.ndjson"));
  const outputs: [string, string][] = [
    ["junit.xml", junitXml([record])],
    ["summary.md", summaryMarkdown(record, events)],
    ["timeline.html", timelineHtml(record, events)],
    ["trace.json", `${JSON.stringify(chromeTrace(events, record.cellId))}\n`],
  ];
  await Promise.all(outputs.map(([name, text]) => writeAtomic(path.join(runDir, name), text)));
  return outputs.map(([name]) => path.join(runDir, name));
}
