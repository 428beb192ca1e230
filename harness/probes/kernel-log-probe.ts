// Probe kind `kernel-log`: kernel log lines (dmesg, with audit records such as AppArmor denials) matching a regex.
import { matchingLines } from "./line-matching.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/**
 * Kernel log lines matching a regex, counted since boot; the journal's kernel log when dmesg is not readable.
 * Each line keeps its timestamp (dmesg's ISO 8601 time, or the journal's short-iso-precise), so a report can
 * place the line at the time the kernel logged it rather than when it was sampled.
 */
export const kernelLogProbe: ProbeDefinition<"kernel-log"> = {
  kind: "kernel-log",
  cluster: false,
  command: () => "dmesg --time-format=iso 2>/dev/null || journalctl -k -b --no-pager -o short-iso-precise",
  parse: (out, spec) => {
    if (out.exitCode !== 0)
      return {
        value: null,
        evidence: [`kernel log unreadable (exit ${out.exitCode}): ${out.stderr.trim()}`],
      };
    const lines = matchingLines(out.stdout, spec.match);
    return { value: lines.length, evidence: lines.slice(-20) };
  },
};
