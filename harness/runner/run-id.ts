// Run ids: time-sortable (UTC to the second) plus random, so names on machines and result dirs never collide.
import { randomBytes } from "node:crypto";

/** A new run id like `20261123-184212-3f9a1c`; sorting ids sorts runs by start time. */
export function newRunId(now: number, random: () => string = () => randomBytes(3).toString("hex")): string {
  const iso = new Date(now).toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
  return `${stamp}-${random()}`;
}

/** True when text has the shape of a run id. */
export function isRunId(text: string): boolean {
  return /^\d{8}-\d{6}-[0-9a-f]{6}$/.test(text);
}
