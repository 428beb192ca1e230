// Probe kind `command`: a command's trimmed stdout, or its exit code.
import type { ProbeDefinition } from "./probe-definition.ts";

/** The trimmed stdout (null when the command failed), or the exit code; evidence is the output's last 20 lines. */
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
