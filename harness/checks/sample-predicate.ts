// Whether one probe sample satisfies a check's predicates (atLeast, atMost, equals, matches, notMatches, or
// non-empty).
import { compileScenarioRegex } from "../scenario/scenario-regex.ts";
import type { ProbeSample } from "../probes/probe-definition.ts";
import type { CheckSpec } from "../scenario/check-schema.ts";

function numberOf(value: ProbeSample["value"]): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  return null;
}

function truthy(value: NonNullable<ProbeSample["value"]>): boolean {
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.trim() !== "";
  return value;
}

/**
 * True when the sample satisfies every predicate the check gives; with none, when its value is non-zero,
 * non-empty or true. A failed sample (value null) never satisfies. `matches` tests the value and each evidence line;
 * `notMatches` holds when neither does.
 */
export function satisfies(check: CheckSpec, sample: Pick<ProbeSample, "value" | "evidence">): boolean {
  const { value } = sample;
  if (value === null) return false;
  const n = numberOf(value);
  const predicates: boolean[] = [];
  if (check.atLeast !== undefined) predicates.push(n !== null && n >= check.atLeast);
  if (check.atMost !== undefined) predicates.push(n !== null && n <= check.atMost);
  if (check.equals !== undefined) predicates.push(String(value).trim() === String(check.equals));
  if (check.matches !== undefined) {
    const re = compileScenarioRegex(check.matches);
    predicates.push(re.test(String(value)) || sample.evidence.some((line) => re.test(line)));
  }
  if (check.notMatches !== undefined) {
    const re = compileScenarioRegex(check.notMatches);
    predicates.push(!re.test(String(value)) && !sample.evidence.some((line) => re.test(line)));
  }
  return predicates.length === 0 ? truthy(value) : predicates.every(Boolean);
}
