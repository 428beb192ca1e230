// Probe kind `kernel-log`: kernel log lines (dmesg, with audit records such as AppArmor denials) matching a regex.
import { matchingLines } from "./line-matching.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/** Kernel log lines matching a regex, counted since boot; the journal's kernel log when dmesg is not readable. */
export const kernelLogProbe: ProbeDefinition<"kernel-log"> = {
  kind: "kernel-log",
  cluster: false,
  command: () => "dmesg --notime 2>/dev/null || journalctl -k -b --no-pager -o cat",
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
