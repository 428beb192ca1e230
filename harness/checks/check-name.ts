// The name a check is reported under: its own, or one generated from its probe and predicates.
import type { CheckSpec } from "../scenario/check-schema.ts";

/** `check.name`, else e.g. `denied-signal ever >= 1` or `task-state last = "RUNNING"`. */
export function checkName(check: CheckSpec): string {
  if (check.name !== undefined) return check.name;
  const parts = [check.probe, check.holds];
  if (check.atLeast !== undefined) parts.push(`>= ${check.atLeast}`);
  if (check.atMost !== undefined) parts.push(`<= ${check.atMost}`);
  if (check.equals !== undefined) parts.push(`= ${JSON.stringify(check.equals)}`);
  if (check.matches !== undefined) parts.push(`matches /${check.matches}/`);
  if (check.notMatches !== undefined) parts.push(`does not match /${check.notMatches}/`);
  if (parts.length === 2) parts.push("non-empty");
  if (check.within !== undefined) parts.push(`within ${check.within}`);
  return parts.join(" ");
}
