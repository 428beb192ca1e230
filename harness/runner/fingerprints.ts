// Reads every node's environment fingerprint and measures its clock offset against the host clock.
import { commandEvent } from "./command-event.ts";
import { clockOffsetMs as offsetOf } from "../fingerprint/clock-offset.ts";
import type { CellContext } from "./cell-context.ts";
import type { FingerprintReader } from "./runner-deps.ts";
import { scriptRunner } from "./script-step.ts";
import { tail } from "./step-outcome.ts";

/** Facts and clock offset per node. */
export type NodeFingerprints = Record<
  string,
  { clockOffsetMs: number | null; facts: Record<string, string> }
>;

/**
 * Runs the fingerprint command on each node. The guest's time is compared with the host time halfway
 * through the command, so the offset is off by at most half the command's duration (recorded as facts).
 */
export async function readFingerprints(
  ctx: CellContext,
  reader: FingerprintReader,
  signal: AbortSignal,
): Promise<NodeFingerprints> {
  const out: NodeFingerprints = {};
  await Promise.all(
    [...ctx.transports.entries()].map(async ([node, transport]) => {
      const result = await transport.exec(scriptRunner("fingerprint.sh"), {
        timeoutMs: 60_000,
        stdin: reader.script,
        signal,
      });
      ctx.timeline.emit(
        commandEvent(result, { node: node, purpose: "fingerprint", command: "fingerprint", stderrLines: 5 }),
      );
      if (result.exitCode !== 0) {
        out[node] = {
          clockOffsetMs: null,
          facts: { error: tail(result.stderr, 3).join(" ") || "fingerprint failed" },
        };
        return;
      }
      let parsed: ReturnType<FingerprintReader["parse"]>;
      try {
        parsed = reader.parse(result.stdout);
      } catch (err) {
        out[node] = {
          clockOffsetMs: null,
          facts: { error: err instanceof Error ? err.message : String(err) },
        };
        return;
      }
      const { facts, guestTimeMs } = parsed;
      const clockOffsetMs = offsetOf(
        guestTimeMs === null ? null : guestTimeMs / 1000,
        result.startedAt,
        result.startedAt + result.durationMs,
      );
      out[node] = { clockOffsetMs, facts };
      ctx.timeline.emit({ kind: "fingerprint", node, clockOffsetMs, facts });
    }),
  );
  return out;
}
