// How each probe kind is sampled (the command) and read (a pure parser tested against recorded output).
import type { ProbeSpec } from "../scenario/probe-schema.ts";
import type { Scenario } from "../scenario/schema.ts";

/** One observation of a probe on one node. */
export interface ProbeSample {
  probe: string;
  node: string;
  /** Host clock, ms since the epoch. */
  at: number;
  /** A count, a status, a text: what checks compare. null when the sample failed. */
  value: number | string | boolean | null;
  /** Lines that support the value (matching log lines, pod restart counts, ...). */
  evidence: string[];
  /** Set when the probe command itself failed to produce a reading. */
  error?: string;
}

/** Raw result of running a probe command. */
export interface ProbeOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** What a probe kind's command renderer may use. */
export interface ProbeContext {
  scenario: Scenario;
}

/** A probe kind: renders its command and parses its output into a value and evidence. */
export interface ProbeDefinition<K extends ProbeSpec["kind"] = ProbeSpec["kind"]> {
  kind: K;
  /** True for probes sampled through kubectl on the control plane. */
  cluster: boolean;
  /** The command to run, or null when the runner feeds the probe (step results). */
  command(spec: Extract<ProbeSpec, { kind: K }>, ctx: ProbeContext): string | null;
  /** Pure: turns the command's output into a value and evidence. */
  parse(
    output: ProbeOutput,
    spec: Extract<ProbeSpec, { kind: K }>,
    ctx: ProbeContext,
  ): Pick<ProbeSample, "value" | "evidence">;
}
