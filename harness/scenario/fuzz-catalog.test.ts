// Fuzzing the scenario loader with the catalog's own files, mutated by fast-check (seeded, so a failure replays):
// every mutant is either a valid scenario whose cells all plan, or a ScenarioError whose every problem has a
// line and a column. Anything else (a TypeError, a RangeError, a hang the test's timeout catches) is a bug.
import { readFile } from "node:fs/promises";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScenarioError, UsageError } from "../errors.ts";
import { planCell } from "../plan/planner.ts";
import { defaultRecipes } from "../recipes/index.ts";
import { catalogFiles } from "./catalog.ts";
import { scenarioFromBytes } from "./load.ts";
import { expandMatrix } from "./matrix.ts";

/** Pieces of YAML syntax and awkward scalars that mutations insert. */
const fragments = [
  ":",
  "- ",
  "\n",
  "  ",
  "\t",
  "#",
  "&a ",
  "*a",
  "<<: *a\n",
  "{",
  "}",
  "[",
  "]",
  "'",
  '"',
  "!!binary ",
  "!!js/function ",
  "~",
  "null",
  ".inf",
  "1e309",
  "-1",
  "0x10",
  "9".repeat(40),
  "\u0000",
  "\uFEFF",
  "? ",
  "|\n",
  ">\n",
  "%YAML 1.1\n",
  "---\n",
  "...\n",
  "__proto__: {}\n",
  "\u001b[2J",
  "\r\n",
  "\\",
  "💥",
  "\ud800",
];

/** One edit of the file's text. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...fragments) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("byte" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(bytes: Buffer, edits: Edit[]): Buffer {
  let out = bytes;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length;
    if (e.kind === "insert")
      out = Buffer.concat([out.subarray(0, at), Buffer.from(e.text), out.subarray(at)]);
    else if (e.kind === "delete") out = Buffer.concat([out.subarray(0, at), out.subarray(at + e.length)]);
    else if (e.kind === "byte") {
      out = Buffer.from(out);
      if (out.length > 0) out[at] = e.value;
    } else {
      const start = out.lastIndexOf(10, at) + 1;
      const end = out.indexOf(10, at);
      const line = out.subarray(start, end === -1 ? out.length : end + 1);
      out = Buffer.concat([out.subarray(0, start), line, line, out.subarray(start)]);
    }
  }
  return out;
}

/** What loading and planning a mutant did: "valid", "refused", or a description of the bug. */
function outcome(file: string, bytes: Buffer): string {
  try {
    for (const cell of expandMatrix(scenarioFromBytes(file, bytes))) planCell(cell, defaultRecipes);
    return "valid";
  } catch (err) {
    if (err instanceof ScenarioError)
      return err.issues.every((i) => i.line > 0 && i.col > 0)
        ? "refused"
        : `refused without a place: ${err.message}`;
    if (err instanceof UsageError) return "refused";
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

describe("fuzzing the loader with mutated catalog files (fast-check, seeded)", () => {
  it("never crashes: each mutant plans, or is refused with a line and column", async () => {
    const files = await catalogFiles();
    const sources = await Promise.all(files.map(async (f) => ({ file: f, bytes: await readFile(f) })));
    const seen = { valid: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.nat({ max: sources.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        (i, edits) => {
          const { file, bytes } = sources[i]!;
          const result = outcome(file, apply(bytes, edits));
          if (result === "valid" || result === "refused") seen[result]++;
          return result === "valid" || result === "refused";
        },
      ),
      { numRuns: 1500, seed: 20261204 },
    );
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.valid).toBeGreaterThan(0);
  }, 120_000);
});
