// Reads every node's environment fingerprint and measures its clock offset against the host clock.
import { commandEvent } from "./command-event.ts";
import {
  bestClockOffset,
  clockOffsetMs as offsetOf,
  guestClockCommand,
  parseGuestClockMs,
  type ClockOffset,
  type ClockReading,
} from "../fingerprint/clock-offset.ts";
import type { Transport } from "../transport/transport.ts";
import type { CellContext } from "./cell-context.ts";
import type { FingerprintReader } from "./runner-deps.ts";
import { scriptRunner } from "./script-step.ts";
import { tail } from "./step-outcome.ts";

/** Facts and clock offset per node. */
export type NodeFingerprints = Record<
  string,
  { clockOffsetMs: number | null; facts: Record<string, string> }
>;

/** How many short clock round trips each node gets; the shortest one decides the offset. */
const clockReadings = 3;

/** Guest clock readings over short round trips (`date +%s%N` alone), the failed ones left out. */
async function readClock(transport: Transport, signal: AbortSignal): Promise<ClockReading[]> {
  const readings: ClockReading[] = [];
  for (let i = 0; i < clockReadings; i++) {
    const r = await transport.exec(guestClockCommand, { timeoutMs: 10_000, signal });
    const guestMs = r.exitCode === 0 ? parseGuestClockMs(r.stdout) : null;
    if (guestMs !== null)
      readings.push({ guestMs, hostBeforeMs: r.startedAt, hostAfterMs: r.startedAt + r.durationMs });
  }
  return readings;
}

/**
 * Runs the fingerprint command on each node, then measures the node's clock offset over short round trips
 * (the fingerprint script runs for many seconds under TCG, so its own clock reading is only the fallback).
 * The offset is off by at most half the round trip it was measured over, recorded as `clock.uncertainty-ms`.
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
      const fallback = offsetOf(
        guestTimeMs === null ? null : guestTimeMs / 1000,
        result.startedAt,
        result.startedAt + result.durationMs,
      );
      const measured: ClockOffset | null =
        bestClockOffset(await readClock(transport, signal)) ??
        (fallback === null ? null : { offsetMs: fallback, uncertaintyMs: Math.ceil(result.durationMs / 2) });
      const clockOffsetMs = measured?.offsetMs ?? null;
      if (measured !== null) facts["clock.uncertainty-ms"] = String(measured.uncertaintyMs);
      out[node] = { clockOffsetMs, facts };
      ctx.timeline.emit({ kind: "fingerprint", node, clockOffsetMs, facts });
    }),
  );
  return out;
}
