// Probe kind `journal`: lines of a systemd unit's journal since the run started that match a regex.
import { quote } from "../recipes/shell.ts";
import { matchingLines } from "./line-matching.ts";
import type { ProbeDefinition } from "./probe-definition.ts";
import { runStartVariable } from "./run-start.ts";

/**
 * Count of `journalctl -u <unit>` lines of the current boot that match; when the runner sets
 * HARNESS_RUN_STARTED_AT (see run-start.ts) only lines since then. Evidence: the last 20 matching lines.
 */
export const journalProbe: ProbeDefinition<"journal"> = {
  kind: "journal",
  cluster: false,
  command: (spec) =>
    `journalctl -q --no-pager -o short-iso-precise -b -u ${quote(spec.unit)} \${${runStartVariable}:+--since=@$${runStartVariable}}`,
  parse: (out, spec) => {
    if (out.exitCode !== 0)
      return { value: null, evidence: [`journalctl exited ${out.exitCode}: ${out.stderr.trim()}`] };
    const lines = matchingLines(out.stdout, spec.match);
    return { value: lines.length, evidence: lines.slice(-20) };
  },
};
