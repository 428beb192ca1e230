// Reads what `attach` posts from a run directory: run.json, summary.md's gantt, steps to reproduce and versions,
// logs (scripts in run order, terminal controls removed), timeline.html.
import { existsSync } from "node:fs";
import { open, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { HarnessError, ExitCode } from "../errors.ts";
import { readRunRecord, type RunRecord } from "../reports/run-record.ts";

/** One log file of a run, possibly only its tail. */
export interface RunLogFile {
  /** Path relative to the run directory, with `/` separators (e.g. `logs/node1/journal.log`). */
  path: string;
  /** Size on disk, bytes. */
  size: number;
  /** The text read (the last `maxLogBytes` when the file is larger). */
  text: string;
  /** Whether the start of the file was not read. */
  truncated: boolean;
}

/** Everything of one run directory that goes into a comment or a gist. */
export interface RunBundle {
  runDir: string;
  record: RunRecord;
  /** summary.md, when the run wrote one. */
  summary: string | undefined;
  /** The Mermaid gantt source from summary.md, without its fences. */
  gantt: string | undefined;
  /** summary.md's "Steps to reproduce" section, without its heading. */
  reproduce: string | undefined;
  /** summary.md's "Versions" section (each node's version commands and their output), without its heading. */
  versions: string | undefined;
  /** timeline.html's path, when the run wrote one. */
  timelineHtml: string | undefined;
  logs: RunLogFile[];
}

/** How much of one log file is read: the tail, since failures show at the end. */
export const maxLogBytes = 2_000_000;

/** The first ```mermaid block that holds a gantt chart, without its fences. */
export function extractGantt(markdown: string): string | undefined {
  for (const m of markdown.matchAll(/^(`{3,})mermaid[^\n]*\n([\s\S]*?)\n\1\s*$/gm)) {
    const source = m[2] ?? "";
    if (/^\s*gantt\b/.test(source)) return source;
  }
  return undefined;
}

/** The body of the `## <heading>` section of a Markdown text, up to the next `## ` heading, trimmed. */
export function extractSection(markdown: string, heading: string): string | undefined {
  const lines = markdown.split("\n");
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join("\n")
    .trim();
  return body === "" ? undefined : body;
}

/** Escape sequences and control bytes a terminal would interpret (a serial console's colours and cursor moves). */
// eslint-disable-next-line no-control-regex -- control bytes are what this pattern removes
const terminalControls = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-~]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** A log's text without terminal control sequences, carriage returns made newlines. */
export function plainLogText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(terminalControls, "");
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return listFiles(full);
      return Promise.resolve(e.isFile() ? [full] : []);
    }),
  );
  return nested.flat().sort();
}

async function readTail(file: string, size: number): Promise<{ text: string; truncated: boolean }> {
  const start = Math.max(0, size - maxLogBytes);
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    let text = buffer.toString("utf8");
    if (start > 0) text = text.slice(text.indexOf("\n") + 1);
    return { text, truncated: start > 0 };
  } finally {
    await handle.close();
  }
}

/**
 * Where a log goes in the comment: each node's saved scripts first, in the order the steps ran (run.json's
 * `script` of each step), then every other file in path order.
 */
function logOrder(record: RunRecord): (relative: string) => number {
  const order = new Map<string, number>();
  record.steps.forEach((s, i) => {
    if (s.script !== undefined) for (const node of s.nodes) order.set(`logs/${node}/scripts/${s.script}`, i);
  });
  return (relative) => order.get(relative) ?? record.steps.length;
}

async function readLogs(runDir: string, record: RunRecord): Promise<RunLogFile[]> {
  const logsDir = path.join(runDir, "logs");
  if (!existsSync(logsDir)) return [];
  const logs: RunLogFile[] = [];
  for (const file of await listFiles(logsDir)) {
    const { size } = await stat(file);
    const { text, truncated } = await readTail(file, size);
    if (text.includes("\u0000")) continue;
    logs.push({
      path: path.relative(runDir, file).split(path.sep).join("/"),
      size,
      text: plainLogText(text),
      truncated,
    });
  }
  const rank = logOrder(record);
  return logs
    .map((log, i) => ({ log, i }))
    .sort((a, b) => rank(a.log.path) - rank(b.log.path) || a.i - b.i)
    .map((x) => x.log);
}

/** Reads a run directory; throws a HarnessError when it holds no run.json. */
export async function readRunBundle(runDir: string): Promise<RunBundle> {
  if (!existsSync(path.join(runDir, "run.json")))
    throw new HarnessError("RUN_DIR_INVALID", `${runDir} holds no run.json`, {
      hint: "pass the directory of one run (the one with run.json in it), e.g. results/<run-id>",
      exitCode: ExitCode.usage,
    });
  let record: RunRecord;
  try {
    record = await readRunRecord(runDir);
  } catch (err) {
    throw new HarnessError(
      "RUN_DIR_INVALID",
      `${path.join(runDir, "run.json")} cannot be read: ${String(err)}`,
      {
        hint: "the run may have been killed while writing it; run the cell again",
        exitCode: ExitCode.usage,
        cause: err,
      },
    );
  }
  const summaryFile = path.join(runDir, "summary.md");
  const summary = existsSync(summaryFile) ? await readFile(summaryFile, "utf8") : undefined;
  const timelineFile = path.join(runDir, "timeline.html");
  return {
    runDir,
    record,
    summary,
    gantt: summary === undefined ? undefined : extractGantt(summary),
    reproduce: summary === undefined ? undefined : extractSection(summary, "Steps to reproduce"),
    versions: summary === undefined ? undefined : extractSection(summary, "Versions"),
    timelineHtml: existsSync(timelineFile) ? timelineFile : undefined,
    logs: await readLogs(runDir, record),
  };
}
