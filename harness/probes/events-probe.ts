// Probe kind `events`: how many times Kubernetes events with a reason were emitted, delivered or not.
import { quote } from "../recipes/shell.ts";
import { kubectl, readKubectlJson } from "./kubectl.ts";
import { eventList } from "./kubernetes-objects.ts";
import type { ProbeDefinition } from "./probe-definition.ts";
import { runStartVariable } from "./run-start.ts";

/** The line between kubectl's JSON and the kubelet's journal lines in the probe's output. */
export const undeliveredMarker = "--- harness: events the kubelet of this node dropped ---";

/**
 * client-go's event recorder gives up on an event the API server rejects (an API server without etcd answers
 * with an error status) or after 12 failed tries, and logs it at error level with the whole event:
 * `Server rejected event '&v1.Event{...}': '<error>' (will not retry!)`, `Unable to write event '&v1.Event{...}'
 * (retry limit exceeded!)` (client-go tools/record/event.go, as vendored in Kubernetes 1.20). Retries that later
 * succeed end in `(may retry after sleeping)` and are not counted.
 */
const droppedEnding = /\((?:will not retry|retry limit exceeded)!\)$/;

/** `droppedEnding` for grep -E (POSIX ERE has no non-capturing groups). */
const droppedEndingEre = "\\((will not retry|retry limit exceeded)!\\)$";

/** The event's own namespace (its ObjectMeta comes first in the dump) and the object it is about. */
const eventNamespace = /Namespace:"([^"]*)"/;
const involvedObject =
  /InvolvedObject:v1\.ObjectReference\{Kind:"([^"]*)", Namespace:"[^"]*", Name:"([^"]*)"/;

/** `<time> <ns>/<Kind>/<name> <reason> not delivered: <why>` from one dropped-event journal line. */
function droppedEvidence(line: string, reason: string): string {
  const when = line.split(" ", 1)[0] ?? "";
  const o = involvedObject.exec(line);
  const object = o ? `${eventNamespace.exec(line)?.[1] ?? ""}/${o[1]}/${o[2]}` : "?";
  const errorStart = line.lastIndexOf("}': '");
  const why =
    errorStart >= 0
      ? line.slice(errorStart + 5, line.lastIndexOf("' (will not retry!)")).slice(0, 300)
      : "retry limit exceeded";
  return `${when} ${object} ${reason} (x1) not delivered: ${why}`;
}

/**
 * Occurrences of events with `reason` (an event's `series.count` or `count`, else 1), all namespaces unless one
 * is given, plus the ones the kubelet of the node the probe runs on (the control plane) logged as dropped: events
 * are best effort, and an event emitted while the control plane restarts can be lost. Some losses leave no line:
 * kubelet writes events one at a time, and the ones queued behind a write it keeps retrying are gone when kubelet
 * restarts (kubeadm 1.20's kubelet-finalize phase restarts it at the end of init). A scenario that must see every
 * emission reads kubelet's own log at `--v=3` (`kubernetes.kubeletVerbosity`) with a journal probe. kubectl
 * filters by reason server-side; the parser filters again so the value never depends on it.
 */
export const eventsProbe: ProbeDefinition<"events"> = {
  kind: "events",
  cluster: true,
  command: (spec) =>
    [
      `${kubectl} get events ${spec.namespace ? `-n ${quote(spec.namespace)}` : "-A"} --field-selector ${quote(`reason=${spec.reason}`)} -o json; rc=$?`,
      `echo ${quote(undeliveredMarker)}`,
      `journalctl -q --no-pager -o short-iso-precise -b -u kubelet \${${runStartVariable}:+--since=@$${runStartVariable}} | grep -F ${quote(`Reason:"${spec.reason}"`)} | grep -E ${quote(droppedEndingEre)} | tail -n 50`,
      "exit $rc",
    ].join("; "),
  parse: (out, spec) => {
    const marker = out.stdout.indexOf(`${undeliveredMarker}\n`);
    const json = marker >= 0 ? out.stdout.slice(0, marker) : out.stdout;
    const journal = marker >= 0 ? out.stdout.slice(marker + undeliveredMarker.length + 1) : "";
    const read = readKubectlJson({ ...out, stdout: json }, eventList);
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
    const dropped = journal
      .split("\n")
      .filter((l) => l.includes(`Reason:"${spec.reason}"`) && droppedEnding.test(l));
    total += dropped.length;
    evidence.push(...dropped.map((l) => droppedEvidence(l, spec.reason)));
    return { value: total, evidence };
  },
};
