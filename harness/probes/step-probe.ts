// Probe kind `step`: a step's result, fed by the runner when the step ends.
import type { ProbeDefinition } from "./probe-definition.ts";

/** The step's exit code, with the last 20 non-empty lines of its output (stdout, then stderr) as evidence. */
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
