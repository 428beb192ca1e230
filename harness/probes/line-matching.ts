// Shared parsing for probes that count log lines matching a regex.
import { compileScenarioRegex } from "../scenario/scenario-regex.ts";

/** Lines of `text` that match `pattern`, trimmed, in order. */
export function matchingLines(text: string, pattern: string): string[] {
  const re = compileScenarioRegex(pattern);
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l !== "" && re.test(l));
}
