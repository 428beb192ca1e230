// The guest clock's offset from the host's, from a fingerprint taken between two host clock readings.

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
