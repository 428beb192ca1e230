// Probe kind `process`: processes whose command line matches, alive longer than a threshold (e.g. `runc init`).
import { compileScenarioRegex } from "../scenario/scenario-regex.ts";
import { parseDuration } from "../plan/duration.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/** One row of psCommand's output. */
export interface ProcessRow {
  pid: number;
  /** Seconds since the process started. */
  elapsedSeconds: number;
  /** ps's STAT column: `S` sleeping, `D` uninterruptible, `R` running, with flags. */
  state: string;
  /** The distinct kernel functions the process's threads sleep in; empty when none is known. */
  waitChannels: string[];
  args: string;
}

/**
 * Every process as `pid age state channels args`, where channels lists the kernel functions its threads sleep in:
 * a thread's /proc wchan, or where that reads 0 (Linux before 5.16 with the ORC unwinder, as Debian 11's 5.10
 * measured here), the top frame of its kernel stack. Shell builtins only per thread: no fork per process.
 */
export const psCommand = `ps -eo pid=,etimes=,stat=,args= | while read -r pid age state args; do
  channels=
  for task in /proc/"$pid"/task/*; do
    channel=
    read -r channel 2> /dev/null < "$task/wchan"
    if [ -z "$channel" ] || [ "$channel" = 0 ]; then
      frame=
      read -r frame 2> /dev/null < "$task/stack"
      channel=\${frame#*] }
      channel=\${channel%%+*}
    fi
    case "$channel" in
      "" | *[!A-Za-z0-9_.]*) ;;
      *) case ",$channels," in *",$channel,"*) ;; *) channels=\${channels:+$channels,}$channel ;; esac ;;
    esac
  done
  printf '%s %s %s %s %s\\n' "$pid" "$age" "$state" "\${channels:--}" "$args"
done`;

/** Rows of psCommand's output; lines of another shape are skipped. */
export function parsePsRows(text: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+) (\d+) (\S+) (\S+) (.*)$/.exec(line);
    if (m)
      rows.push({
        pid: Number(m[1]),
        elapsedSeconds: Number(m[2]),
        state: m[3] ?? "",
        waitChannels: m[4] === "-" || m[4] === undefined ? [] : m[4].split(","),
        args: (m[5] ?? "").trimEnd(),
      });
  }
  return rows;
}

/** Count of processes whose args match, at least olderThan old and (if set) with a thread waiting in waitChannel; evidence: one line each. */
export const processProbe: ProbeDefinition<"process"> = {
  kind: "process",
  cluster: false,
  command: () => psCommand,
  parse: (out, spec) => {
    if (out.exitCode !== 0)
      return { value: null, evidence: [`ps exited ${out.exitCode}: ${out.stderr.trim()}`] };
    const re = compileScenarioRegex(spec.match);
    const minAge = parseDuration(spec.olderThan) / 1000;
    const hits = parsePsRows(out.stdout).filter(
      (r) =>
        re.test(r.args) &&
        r.elapsedSeconds >= minAge &&
        (spec.waitChannel === undefined || r.waitChannels.includes(spec.waitChannel)),
    );
    return {
      value: hits.length,
      evidence: hits
        .slice(0, 20)
        .map(
          (r) =>
            `pid ${r.pid} up ${r.elapsedSeconds}s state ${r.state} in ${r.waitChannels.join(",") || "-"}: ${r.args}`,
        ),
    };
  },
};
