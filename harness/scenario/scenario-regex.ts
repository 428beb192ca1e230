// Scenario regexes in linear time: RE2's syntax and semantics (re2js, a port of RE2), so that no pattern a
// scenario gives can make matching a guest's log line take longer than a pass over it.
import { RE2JS } from "re2js";

/** A compiled scenario regex. */
export interface ScenarioRegex {
  /** Whether the pattern matches anywhere in `text` (like RegExp.prototype.test without flags). */
  test(text: string): boolean;
}

/** Compiles `pattern`; throws RE2's parse error for what RE2 does not take (backreferences, lookaround). */
export function compileScenarioRegex(pattern: string): ScenarioRegex {
  const re = RE2JS.compile(pattern);
  return { test: (text) => re.matcher(text).find() };
}

/** Why RE2 refuses `pattern`, or null when it compiles. */
export function scenarioRegexError(pattern: string): string | null {
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
