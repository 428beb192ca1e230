// Probe kind `preflight`: the `[ERROR ...]` checks kubeadm reported, read from the log the kubeadm steps append to.
import { quote } from "../recipes/shell.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/** Where kubeadm steps append their combined output (`kubeadm ... 2>&1 | tee -a` this file) for this probe. */
export const kubeadmOutputLog = "/var/log/harness/kubeadm.log";

/** One preflight finding: `[ERROR CRI]: ...` with its continuation lines joined. */
export interface PreflightFinding {
  severity: "ERROR" | "WARNING";
  check: string;
  message: string;
}

const findingLine = /^\s*\[(ERROR|WARNING) ([^\]]+)\]:\s?(.*)$/;
const endsFinding = /^\s*(\[|error execution phase|To see the stack trace)/;

/** Preflight findings in kubeadm output (TAB- or space-indented; a message may run onto following lines). */
export function parsePreflightFindings(text: string): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  let current: PreflightFinding | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const m = findingLine.exec(line);
    if (m) {
      current = { severity: m[1] as "ERROR" | "WARNING", check: m[2] ?? "", message: (m[3] ?? "").trimEnd() };
      findings.push(current);
    } else if (current && line.trim() !== "" && !endsFinding.test(line)) {
      current.message += line.trimEnd();
    } else {
      current = null;
    }
  }
  return findings;
}

/** Count of `[ERROR ...]` preflight checks in the kubeadm log; evidence: every ERROR and WARNING, one line each. */
export const preflightProbe: ProbeDefinition<"preflight"> = {
  kind: "preflight",
  cluster: false,
  command: () => `cat ${quote(kubeadmOutputLog)}`,
  parse: (out) => {
    if (out.exitCode !== 0)
      return {
        value: null,
        evidence: [
          `no kubeadm output at ${kubeadmOutputLog} (${out.stderr.trim()}): kubeadm has not run on this node yet`,
        ],
      };
    const findings = parsePreflightFindings(out.stdout);
    return {
      value: findings.filter((f) => f.severity === "ERROR").length,
      evidence: findings.map((f) => `[${f.severity} ${f.check}]: ${f.message}`),
    };
  },
};
