// Probe kind `sysctl`: one kernel parameter's value.
import { quote } from "../recipes/shell.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/** A sysctl's value, a number when it is one (tab-separated vectors stay text). */
export const sysctlProbe: ProbeDefinition<"sysctl"> = {
  kind: "sysctl",
  cluster: false,
  command: (spec) => `sysctl -n ${quote(spec.key)}`,
  parse: (out, spec) => {
    const text = out.stdout.trim();
    if (out.exitCode !== 0) return { value: null, evidence: [out.stderr.trim()] };
    return { value: /^-?\d+$/.test(text) ? Number(text) : text, evidence: [`${spec.key} = ${text}`] };
  },
};
