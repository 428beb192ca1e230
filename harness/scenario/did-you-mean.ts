// Did-you-mean: the known name closest to a mistyped one (scenario names, cell ids, enum values).
import { closest, distance } from "fastest-levenshtein";

/** Longer input is not compared (edit distance costs length x length); nobody mistypes 200 characters. */
const maxComparedLength = 200;

/** The candidate within a few edits of `value` (a third of its length, at least 2), or null. */
export function closestName(value: string, candidates: readonly string[]): string | null {
  if (candidates.length === 0 || value.length > maxComparedLength) return null;
  const guess = closest(value, [...candidates]);
  return distance(value, guess) <= Math.max(2, Math.floor(value.length / 3)) ? guess : null;
}
