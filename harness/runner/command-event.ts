// The timeline's record of one finished command, built the same way for steps, probes, fingerprints and log collection.
import type { CommandEvent } from "../timeline/events.ts";
import type { CommandResult } from "../transport/transport.ts";
import { tail } from "./step-outcome.ts";

/** A `command` event (unstamped) for a command's result: what ran where, for what, how it ended, stderr's tail. */
export function commandEvent(
  result: CommandResult,
  what: { node: string; purpose: string; command: string; stderrLines: number },
): Omit<CommandEvent, "at"> {
  return {
    kind: "command",
    node: what.node,
    purpose: what.purpose,
    command: what.command,
    exitCode: result.exitCode,
    signal: result.signal,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    ...(result.transportError !== undefined ? { transportError: result.transportError } : {}),
    stderrTail: tail(result.stderr, what.stderrLines),
  };
}
