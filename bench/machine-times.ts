// From a run's timeline: how long machines waited for their image (built or found) and took from boot to SSH.
import type { TimelineEvent } from "../harness/timeline/events.ts";

/** The image wait (longest over machines) and each machine's boot-to-SSH time, in ms. */
export function machineTimes(events: readonly TimelineEvent[]): {
  imageMs: number;
  boots: [string, number][];
} {
  const creating = new Map<string, number>();
  const booting = new Map<string, number>();
  let imageMs = 0;
  const boots: [string, number][] = [];
  for (const e of events) {
    if (e.kind !== "machine") continue;
    if (e.state === "creating") creating.set(e.machine, e.at);
    if (e.state === "booting") {
      // The first boot of a machine waits for its image (built or fetched when the cache is cold) and disks.
      if (creating.has(e.machine)) imageMs = Math.max(imageMs, e.at - (creating.get(e.machine) ?? e.at));
      creating.delete(e.machine);
      booting.set(e.machine, e.at);
    }
    if (e.state === "ready" && booting.has(e.machine)) {
      boots.push([e.machine, e.at - (booting.get(e.machine) ?? e.at)]);
      booting.delete(e.machine);
    }
  }
  return { imageMs, boots };
}
