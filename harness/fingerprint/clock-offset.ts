// The guest clock's offset from the host's, from guest clock readings taken between two host clock readings.

/** One guest clock reading and the host clock just before the command was sent and just after it returned. */
export interface ClockReading {
  guestMs: number;
  hostBeforeMs: number;
  hostAfterMs: number;
}

/** An offset and how far off it can be: half the round trip it was measured over. */
export interface ClockOffset {
  offsetMs: number;
  uncertaintyMs: number;
}

/**
 * Guest minus host clock in ms, assuming the guest read its clock halfway between `hostBeforeMs` and
 * `hostAfterMs` (the error is at most half the round trip); null when the fingerprint has no clock.
 */
export function clockOffsetMs(
  guestClockSeconds: number | null,
  hostBeforeMs: number,
  hostAfterMs: number,
): number | null {
  if (guestClockSeconds === null) return null;
  return Math.round(guestClockSeconds * 1000 - (hostBeforeMs + hostAfterMs) / 2);
}

/** The offset of the reading with the shortest round trip (the least uncertain, as NTP picks); null when none. */
export function bestClockOffset(readings: readonly ClockReading[]): ClockOffset | null {
  let best: ClockReading | undefined;
  for (const r of readings)
    if (best === undefined || r.hostAfterMs - r.hostBeforeMs < best.hostAfterMs - best.hostBeforeMs) best = r;
  if (best === undefined) return null;
  return {
    offsetMs: Math.round(best.guestMs - (best.hostBeforeMs + best.hostAfterMs) / 2),
    uncertaintyMs: Math.ceil((best.hostAfterMs - best.hostBeforeMs) / 2),
  };
}

/** The guest command whose output `parseGuestClockMs` reads: the epoch time in nanoseconds. */
export const guestClockCommand = "date +%s%N";

/** Milliseconds since the epoch from `date +%s%N` output; null when it is not a plain nanosecond count. */
export function parseGuestClockMs(stdout: string): number | null {
  const text = stdout.trim();
  if (!/^\d{10,20}$/.test(text)) return null;
  return Number(BigInt(text) / 1_000_000n) + Number(BigInt(text) % 1_000_000n) / 1e6;
}
