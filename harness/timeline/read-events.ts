// Reads events.ndjson back, tolerating the torn last line a crash can leave.
import { readFile } from "node:fs/promises";
import type { TimelineEvent } from "./events.ts";

/** Parses NDJSON text into events; a last line cut short by a crash is skipped, any other bad line throws. */
export function parseEvents(text: string): TimelineEvent[] {
  const lines = text.split("\n");
  const events: TimelineEvent[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      events.push(JSON.parse(line) as TimelineEvent);
    } catch (err) {
      const isLast = lines.slice(i + 1).every((l) => l.trim() === "");
      if (!isLast) throw new Error(`events.ndjson line ${i + 1} is not JSON: ${String(err)}`);
    }
  });
  return events;
}

/** Reads a run's events.ndjson. */
export async function readEvents(file: string): Promise<TimelineEvent[]> {
  return parseEvents(await readFile(file, "utf8"));
}
