// Probe kind `events`: how many times Kubernetes events with a reason were emitted.
import { quote } from "../recipes/shell.ts";
import { kubectl, readKubectlJson } from "./kubectl.ts";
import { eventList } from "./kubernetes-objects.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/**
 * Occurrences of events with `reason` (an event's `series.count` or `count`, else 1), all namespaces unless one
 * is given. kubectl filters by reason server-side; the parser filters again so the value never depends on it.
 */
export const eventsProbe: ProbeDefinition<"events"> = {
  kind: "events",
  cluster: true,
  command: (spec) =>
    `${kubectl} get events ${spec.namespace ? `-n ${quote(spec.namespace)}` : "-A"} --field-selector ${quote(`reason=${spec.reason}`)} -o json`,
  parse: (out, spec) => {
    const read = readKubectlJson(out, eventList);
    if (!read.ok) return read.sample;
    let total = 0;
    const evidence: string[] = [];
    for (const e of read.value.items) {
      if (e.reason !== spec.reason) continue;
      const count = e.series?.count ?? e.count ?? 1;
      total += count;
      const when = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? "";
      const object = `${e.metadata.namespace ?? ""}/${e.involvedObject.kind ?? ""}/${e.involvedObject.name ?? ""}`;
      evidence.push(`${when} ${object} ${e.reason} (x${count}): ${(e.message ?? "").trim()}`);
    }
    return { value: total, evidence };
  },
};
