// The verdict in the words a maintainer reads right: "bug reproduced, as expected" is a pass, not "no bug".
import type { Verdict } from "../timeline/events.ts";

/** One line saying what the run found about the bug and whether that was the expected outcome. */
export function verdictHeadline(expect: "reproduced" | "healthy", verdict: Verdict): string {
  switch (verdict) {
    case "reproduced":
      return expect === "reproduced"
        ? "bug reproduced, as expected"
        : "bug reproduced where it was expected to be fixed";
    case "not-reproduced":
      return "bug not reproduced, though it was expected to be";
    case "healthy":
      return expect === "healthy"
        ? "no sign of the bug, as expected (the fixed setup)"
        : "no sign of the bug, though it was expected to reproduce";
    case "unhealthy":
      return "the bug's symptoms appeared where the setup was expected to be fixed";
    case "error":
      return "no verdict: the run could not show either way (error)";
    case "infra-failure":
      return "no verdict: the machines or their connections failed (infrastructure failure)";
    case "aborted":
      return "no verdict: the run was interrupted";
  }
}
