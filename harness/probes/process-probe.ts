// Probe kind `process`: processes whose command line matches, alive longer than a threshold (e.g. `runc init`).
import { parseDuration } from "../plan/duration.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/** One row of `ps -eo pid=,etimes=,args=`. */
export interface ProcessRow {
  pid: number;
  /** Seconds since the process started. */
  elapsedSeconds: number;
  args: string;
}

/** Rows of `ps -eo pid=,etimes=,args=` output; lines of another shape are skipped. */
export function parsePsRows(text: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m) rows.push({ pid: Number(m[1]), elapsedSeconds: Number(m[2]), args: (m[3] ?? "").trimEnd() });
  }
  return rows;
}

/** Count of processes whose args match and at least olderThan old; evidence: pid, age, args of each. */
export const processProbe: ProbeDefinition<"process"> = {
  kind: "process",
  cluster: false,
  command: () => "ps -eo pid=,etimes=,args=",
  parse: (out, spec) => {
    if (out.exitCode !== 0)
      return { value: null, evidence: [`ps exited ${out.exitCode}: ${out.stderr.trim()}`] };
    const re = new RegExp(spec.match);
    const minAge = parseDuration(spec.olderThan) / 1000;
    const hits = parsePsRows(out.stdout).filter((r) => re.test(r.args) && r.elapsedSeconds >= minAge);
    return {
      value: hits.length,
      evidence: hits.slice(0, 20).map((r) => `pid ${r.pid} up ${r.elapsedSeconds}s: ${r.args}`),
    };
  },
};
