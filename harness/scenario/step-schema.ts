// Custom steps: commands a scenario runs on chosen nodes at a named phase.
import { z } from "zod";
import { customStepPhases } from "../plan/phases.ts";
import { duration, safeName } from "./identifiers.ts";

/** One custom step. */
export const stepSpec = z
  .strictObject({
    name: safeName,
    phase: z.enum(customStepPhases),
    nodes: z
      .array(safeName)
      .min(1)
      .max(64)
      .optional()
      .describe("Nodes to run on, in parallel; all nodes when absent"),
    run: z.string().min(1).max(65_536).describe("Bash script, run with `set -euo pipefail` as root"),
    timeout: duration.default("5m"),
    retries: z.int().min(0).max(10).default(0).describe("Extra attempts after a failure"),
    retryDelay: duration.default("2s"),
    expectFailure: z.boolean().default(false).describe("The step must fail; success is an error"),
    tolerateFailure: z
      .boolean()
      .default(false)
      .describe("A failure is evidence for the checks, not an error (e.g. a kill that the bug denies)"),
  })
  .refine((s) => !(s.expectFailure && s.tolerateFailure), {
    message: "expectFailure and tolerateFailure cannot both be true",
    path: ["tolerateFailure"],
  });

/** A parsed custom step. */
export type StepSpec = z.infer<typeof stepSpec>;
