// Probe kind `process`: processes whose command line matches, alive longer than a threshold (e.g. `runc init`).
import { parseDuration } from "../plan/duration.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/** One row of `ps -eo pid=,etimes=,stat=,wchan:64=,args=`. */
export interface ProcessRow {
  pid: number;
  /** Seconds since the process started. */
  elapsedSeconds: number;
  /** ps's STAT column: `S` sleeping, `D` uninterruptible, `R` running, with flags. */
  state: string;
  /** The kernel function the process sleeps in (`/proc/<pid>/wchan`), `-` when it is running. */
  waitChannel: string;
  args: string;
}

/** The ps command whose output parsePsRows reads. */
export const psCommand = "ps -eo pid=,etimes=,stat=,wchan:64=,args=";

/** Rows of psCommand's output; lines of another shape are skipped. */
export function parsePsRows(text: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (m)
      rows.push({
        pid: Number(m[1]),
        elapsedSeconds: Number(m[2]),
        state: m[3] ?? "",
        waitChannel: m[4] ?? "",
        args: (m[5] ?? "").trimEnd(),
      });
  }
  return rows;
}

/** Count of processes whose args match, at least olderThan old and (if set) waiting in waitChannel; evidence: one line each. */
export const processProbe: ProbeDefinition<"process"> = {
  kind: "process",
  cluster: false,
  command: () => psCommand,
  parse: (out, spec) => {
    if (out.exitCode !== 0)
      return { value: null, evidence: [`ps exited ${out.exitCode}: ${out.stderr.trim()}`] };
    const re = new RegExp(spec.match);
    const minAge = parseDuration(spec.olderThan) / 1000;
    const hits = parsePsRows(out.stdout).filter(
      (r) =>
        re.test(r.args) &&
        r.elapsedSeconds >= minAge &&
        (spec.waitChannel === undefined || r.waitChannel === spec.waitChannel),
    );
    return {
      value: hits.length,
      evidence: hits
        .slice(0, 20)
        .map((r) => `pid ${r.pid} up ${r.elapsedSeconds}s state ${r.state} in ${r.waitChannel}: ${r.args}`),
    };
  },
};
