// When a guest logged a line: the timestamp an evidence line starts with, as the guest's clock read it.

/**
 * A leading `2026-12-04T01:55:07.598002+0000` (journal short-iso-precise), `2026-12-04T01:55:07,598002+00:00`
 * (dmesg --time-format=iso) or RFC 3339 (`...Z`, `+00:00`).
 */
const leadingTimestamp = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)/;

/** Milliseconds since the epoch of the timestamp `line` starts with, on the clock that wrote it; null without one. */
export function loggedAt(line: string): number | null {
  const m = leadingTimestamp.exec(line);
  if (!m || m[1] === undefined || m[3] === undefined) return null;
  const zone = m[3] === "Z" ? "Z" : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`;
  const t = Date.parse(`${m[1]}${zone}`);
  if (Number.isNaN(t)) return null;
  // Date.parse keeps milliseconds only; the fraction is added back in full.
  return t + (m[2] === undefined ? 0 : Number(`0.${m[2]}`) * 1000);
}
