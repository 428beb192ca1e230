// Probe kinds that read a node directly: a command, the kernel log, a sysctl, a step's result.
import { quote } from "../recipes/shell.ts";
import { matchingLines } from "./line-matching.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/** A command's trimmed stdout, or its exit code. */
export const commandProbe: ProbeDefinition<"command"> = {
  kind: "command",
  cluster: false,
  command: (spec) => spec.run,
  parse: (out, spec) => {
    const stdout = out.stdout.trim();
    const lines = stdout === "" ? [] : stdout.split("\n");
    return spec.value === "exit-code"
      ? { value: out.exitCode, evidence: lines.slice(-20) }
      : {
          value: out.exitCode === 0 ? stdout : null,
          evidence: out.exitCode === 0 ? lines.slice(-20) : [`exit ${out.exitCode}: ${out.stderr.trim()}`],
        };
  },
};

/** Kernel log lines (dmesg with audit records) matching a regex, counted since boot. */
export const kernelLogProbe: ProbeDefinition<"kernel-log"> = {
  kind: "kernel-log",
  cluster: false,
  command: () => "dmesg --notime 2>/dev/null || journalctl -k --no-pager -o cat",
  parse: (out, spec) => {
    const lines = matchingLines(out.stdout, spec.match);
    return { value: lines.length, evidence: lines.slice(-20) };
  },
};

/** A sysctl's value, numeric when it is a number. */
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

/** A step's result, fed by the runner: the exit code, with the output's tail as evidence. */
export const stepProbe: ProbeDefinition<"step"> = {
  kind: "step",
  cluster: false,
  command: () => null,
  parse: (out) => ({
    value: out.exitCode,
    evidence: `${out.stdout}\n${out.stderr}`
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => l !== "")
      .slice(-20),
  }),
};
