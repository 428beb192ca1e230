// Checks: predicates over probe series that decide a verdict.
import { z } from "zod";
import { duration, plainText, regex, safeName } from "./identifiers.ts";

/** One check over one probe's samples. */
export const checkSpec = z
  .strictObject({
    name: plainText(200, { lines: false })
      .optional()
      .describe("What the check shows, in words; defaults to a description"),
    probe: safeName,
    holds: z
      .enum(["ever", "never", "always", "last"])
      .default("ever")
      .describe(
        "ever: some sample satisfies; never: none does; always: every one does; last: the final one does",
      ),
    atLeast: z.number().optional(),
    atMost: z.number().optional(),
    equals: z.union([z.string().max(1024), z.number(), z.boolean()]).optional(),
    matches: regex.optional().describe("Regex tested against the value and each evidence line"),
    notMatches: regex
      .optional()
      .describe(
        "Regex that neither the value nor any evidence line may match (an error that must not appear)",
      ),
    within: duration.optional().describe("Only samples taken this long after observation started count"),
  })
  .describe(
    "A sample satisfies the check when every given predicate holds; with none, when its value is non-zero/non-empty",
  );

/** A parsed check. */
export type CheckSpec = z.infer<typeof checkSpec>;
